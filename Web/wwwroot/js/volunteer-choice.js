// @ts-check
// The pure part of choosing volunteers by name (the operator's picker, js/operator-picker.js): the query to send for
// what was typed, and the list of chosen ids after a pick.

/** @typedef {import('../../types/api').VolunteerChoice} VolunteerChoice */

/** The longest text the picker searches for (a volunteer's name is at most 64 characters). */
export const MAX_QUERY = 64;

/**
 * The picker's search for what was typed: the URL of GET /api/volunteers/picker, or null when there is nothing
 * to search for (only spaces) yet.
 * @param {string} typed
 * @returns {string | null}
 */
export function pickerSearch(typed) {
  const text = String(typed ?? '').trim().slice(0, MAX_QUERY);
  return text ? `/api/volunteers/picker?${new URLSearchParams({ q: text })}` : null;
}

/**
 * The URL that names the volunteers already chosen (GET /api/volunteers/picker?ids=), or null when none are.
 * @param {string[]} ids
 * @returns {string | null}
 */
export function pickerNames(ids) {
  return ids.length ? `/api/volunteers/picker?${new URLSearchParams({ ids: ids.join(',') })}` : null;
}

/**
 * The chosen ids after picking id: unchanged when it is already chosen; with max 1 the pick replaces the choice;
 * else it is added at the end unless max are already chosen (then unchanged, and full is true).
 * @param {string[]} chosen
 * @param {string} id
 * @param {number} max
 * @returns {{ chosen: string[], full: boolean }}
 */
export function pick(chosen, id, max) {
  if (chosen.includes(id)) return { chosen, full: false };
  if (max === 1) return { chosen: [id], full: false };
  if (chosen.length >= max) return { chosen, full: true };
  return { chosen: [...chosen, id], full: false };
}
