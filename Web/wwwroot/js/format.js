// @ts-check
// How every page writes times, dates, durations, minutes and distances, in the page's language, and the China
// day the service counts in. Pure: no DOM, so `node --test` checks it (Web/test/format.test.js).
import { getLanguage, t } from '/js/i18n.js';

/** What stands for a value that is missing. */
export const NONE = '—';

/** The service's days (hours, certificates, care plans) are China's: China Standard Time, UTC+8 all year. */
export const CHINA_TIME_ZONE = 'Asia/Shanghai';

/** China Standard Time's offset from UTC (no daylight saving). */
export const CHINA_OFFSET_MS = 8 * 3600_000;

/** @param {unknown} value */
const isNumber = value => typeof value === 'number' && Number.isFinite(value);

/**
 * m:ss (or h:mm:ss) for a duration in milliseconds; a negative one counts as 0.
 * @param {number} ms
 */
export function duration(ms) {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/**
 * The time of day (HH:MM) of an ISO time or a Date; '' when there is none.
 * @param {string | Date | null | undefined} value
 * @param {string} [lang] the language, the page's unless told (the family's status page is Chinese)
 */
export function timeOfDay(value, lang = getLanguage()) {
  if (!value) return '';
  const date = value instanceof Date ? value : new Date(value);
  return date.toLocaleTimeString(lang, { hour: '2-digit', minute: '2-digit' });
}

/**
 * A short date and time (month, day, HH:MM); '' when there is none.
 * @param {string | null | undefined} iso
 */
export function dateTime(iso) {
  if (!iso) return '';
  return new Date(iso).toLocaleString(getLanguage(), { month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

/**
 * The whole date and the time to the second, the language's own way ("2026/1/5 09:07:03"); '' when there is none.
 * @param {string | null | undefined} iso
 * @param {string} [lang] the language, the page's unless told
 */
export function fullDateTime(iso, lang = getLanguage()) {
  if (!iso) return '';
  return new Date(iso).toLocaleString(lang);
}

/**
 * The date in China of an instant (year, month, day), in the page's language: "2026/1/5", en "1/5/2026"; '' when
 * there is none.
 * @param {string | null | undefined} iso
 */
export function chinaDate(iso) {
  if (!iso) return '';
  return new Intl.DateTimeFormat(getLanguage(), { timeZone: CHINA_TIME_ZONE, year: 'numeric', month: 'numeric', day: 'numeric' })
    .format(new Date(iso));
}

/**
 * Today in China as yyyy-MM-dd, the API's days.
 * @param {number} [now] the time in ms since the epoch (now unless told)
 */
export const chinaToday = (now = Date.now()) => new Date(now + CHINA_OFFSET_MS).toISOString().slice(0, 10);

/**
 * A time to the second when it is today, else the short date and time; NONE when there is none.
 * @param {string | null | undefined} iso
 * @param {Date} [today] what "today" is (now unless told)
 */
export function when(iso, today = new Date()) {
  if (!iso) return NONE;
  const date = new Date(iso);
  if (date.toDateString() !== today.toDateString()) return dateTime(iso);
  return date.toLocaleTimeString(getLanguage(), { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/**
 * Minutes with one decimal ("4.5 分钟"), or whole (rounded, at least 1) for an ETA a volunteer reads; NONE
 * when the value is not a number.
 * @param {number | null | undefined} value
 * @param {{ whole?: boolean }} [options]
 */
export function minutes(value, { whole = false } = {}) {
  if (!isNumber(value)) return NONE;
  const n = /** @type {number} */ (value);
  return t('unit.minutes', { n: whole ? Math.max(1, Math.round(n)) : n.toFixed(1) });
}

/**
 * The number of kilometres with one decimal ("0.3" for 300 m), for a text that names the unit itself.
 * @param {number} metres
 */
export function kilometres(metres) {
  return (metres / 1000).toFixed(1);
}

/**
 * Metres below 1 km, else kilometres with one decimal; NONE when the value is not a number. roundTo rounds
 * the metres (10: "about 240 m", never below 10 m, for a volunteer who needs no more; 1: the exact metre).
 * @param {number | null | undefined} metres
 * @param {{ roundTo?: number }} [options]
 */
export function distance(metres, { roundTo = 1 } = {}) {
  if (!isNumber(metres)) return NONE;
  const m = /** @type {number} */ (metres);
  if (m >= 1000) return t('unit.kilometers', { n: kilometres(m) });
  return t('unit.meters', { n: roundTo > 1 ? Math.max(roundTo, Math.round(m / roundTo) * roundTo) : Math.round(m) });
}
