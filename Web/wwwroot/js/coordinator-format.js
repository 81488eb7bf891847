// Small formatting and form helpers shared by the coordinator's modules.
import { errorText } from '/js/api.js';
import { el } from '/js/dom.js';
import { getLanguage, t } from '/js/i18n.js';

/** m:ss (or h:mm:ss) for a duration in milliseconds. */
export function clock(ms) {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** A time of day (with the date when not today), in the page's language. */
export function when(iso) {
  if (!iso) return t('coordinator.figures.none');
  const date = new Date(iso);
  const sameDay = date.toDateString() === new Date().toDateString();
  const options = sameDay ? { hour: '2-digit', minute: '2-digit', second: '2-digit' }
    : { month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit' };
  return date.toLocaleString(getLanguage(), options);
}

export function minutes(value) {
  return value === null || value === undefined ? t('coordinator.figures.none') : t('unit.minutes', { n: Number(value).toFixed(1) });
}

export function distance(m) {
  return m >= 1000 ? t('unit.kilometers', { n: (m / 1000).toFixed(1) }) : t('unit.meters', { n: Math.round(m) });
}

/** The flash message next to the tabs: a short confirmation or error. */
let flashTimer;
export function flash(text, isError = false) {
  const node = document.getElementById('co-flash');
  if (!node) return;
  node.textContent = text;
  node.classList.toggle('error', isError);
  node.hidden = false;
  clearTimeout(flashTimer);
  flashTimer = setTimeout(() => { node.hidden = true; }, 6000);
}

/** A form control under its label text. */
export const labelled = (key, input) => el('label', {}, el('span', {}, t(key)), input);

/** Runs a change; on success says "saved" and runs then() (close the form, reload), else flashes the error. */
export async function saveThen(call, then) {
  try {
    await call();
    flash(t('coordinator.rosters.saved'));
    await then?.();
  } catch (error) {
    flash(errorText(error), true);
  }
}
