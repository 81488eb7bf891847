// A request's timeline line in the reader's language. Lines the system wrote carry an event and its values
// (see TimelineEntry); a person's own words ride along as details.text and are shown as written. Anything
// without a known event (a note, a cancel reason) is shown as its note.
import { t } from '/js/i18n.js';

const EVENTS = new Set(['recorded', 'offered', 'claimed', 'assigned', 'satisfied', 'notSatisfied',
  'released', 'notEnRoute', 'noClaim', 'widened', 'pairedFirst', 'pairedWindowOver']);

/** @typedef {import('../../types/api').TimelineEntry} TimelineEntry */

/**
 * The actor's name, or "system" in the reader's language.
 * @param {TimelineEntry} entry
 */
export function timelineActor(entry) {
  return entry.actor === 'system' ? t('timeline.system') : (entry.actor ?? '');
}

/**
 * { text, words, forced }: the line, the person's own words (or null) and why an assignment was forced (or []).
 * @param {TimelineEntry} entry
 * @returns {{ text: string, words: string | null, forced: string[] }}
 */
export function describeTimeline(entry) {
  const details = entry.details ?? {};
  if (!entry.event || !EVENTS.has(entry.event)) return { text: entry.note ?? '', words: null, forced: [] };
  const forced = [];
  if (details.offDuty === 'true') forced.push(t('timeline.assigned.offDuty'));
  if (details.lacksSkill) forced.push(t('timeline.assigned.lacksSkill', { skill: t(`category.${details.lacksSkill}`) }));
  return { text: t(`timeline.${entry.event}`, details), words: details.text ?? null, forced };
}
