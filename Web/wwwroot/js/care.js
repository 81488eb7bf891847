// @ts-check
// Care plans (standing needs, issue #16) in words and as API bodies, for the operator's plan editor and the
// coordinator's list of upcoming visits. Pure: no DOM, so `node --test` checks it (Web/test/care.test.js).
// A plan's dates and windows are China Standard Time (UTC+8 all year), whatever the reader's own time zone.
import { CHINA_OFFSET_MS } from '/js/format.js';
import { t } from '/js/i18n.js';

/** @typedef {import('../../types/api').CarePlan} CarePlan */
/** @typedef {import('../../types/api').CarePlanBody} CarePlanBody */
/** @typedef {import('../../types/api').CareSchedule} CareSchedule */
/** @typedef {import('../../types/api').DayWord} DayWord */

/** The words of schedule.days, in the order a week is shown (Monday first). */
export const DAYS = /** @type {const} */ (['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']);

/** The words of schedule.days in the order Date#getUTCDay counts (Sunday first). */
const BY_NUMBER = /** @type {const} */ (['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']);

/** A GUID as the API writes it (any case). */
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The instant as it reads in China: HH:mm, the date (yyyy-MM-dd) and its day word.
 * @param {string} iso
 */
export function chinaClock(iso) {
  const shifted = new Date(Date.parse(iso) + CHINA_OFFSET_MS);
  const text = shifted.toISOString();
  return { time: text.slice(11, 16), date: text.slice(0, 10), day: BY_NUMBER[shifted.getUTCDay()] };
}

/**
 * A calendar date (yyyy-MM-dd) with its day: "12月1日 周二" / "Tue 12/1".
 * @param {string} date
 */
export function dateWords(date) {
  const [year, month, day] = date.split('-').map(Number);
  const weekday = BY_NUMBER[new Date(Date.UTC(year, month - 1, day)).getUTCDay()];
  return t('care.date', { month, day, weekday: t(`care.weekday.${weekday}`) });
}

/**
 * A window of one occurrence in China time: "12月1日 周二 09:00–11:00".
 * @param {{ date: string, from: string, to: string }} occurrence
 */
export function occurrenceWords(occurrence) {
  return t('care.occurrence', { date: dateWords(occurrence.date), from: chinaClock(occurrence.from).time, to: chinaClock(occurrence.to).time });
}

/**
 * A schedule in words: "每周二、五 09:00–11:00", "每 3 天 08:30–09:00", "每天 …" (en: "Every Tue, Fri 09:00–11:00").
 * @param {CareSchedule} schedule
 */
export function scheduleWords(schedule) {
  const window = { from: schedule.window?.from ?? '', to: schedule.window?.to ?? '' };
  if (schedule.kind === 'weekly') {
    const days = DAYS.filter(d => schedule.days?.includes(d)).map(d => t(`care.day.${d}`));
    return t('care.schedule.weekly', { days: days.join(t('care.daySeparator')), ...window });
  }
  const n = schedule.n ?? 0;
  return n === 1 ? t('care.schedule.daily', window) : t('care.schedule.everyNDays', { n, ...window });
}

/**
 * What the plan editor holds: strings as the inputs have them.
 * @typedef {object} PlanForm
 * @property {string} category
 * @property {string} urgency
 * @property {'weekly' | 'everyNDays'} kind
 * @property {string[]} days
 * @property {string} n
 * @property {string} from
 * @property {string} to
 * @property {string} startDate
 * @property {string} endDate
 * @property {boolean} paused
 * @property {{ address: string, position: { lat: number, lon: number } } | null} place
 * @property {string} notes
 * @property {string} preferredVolunteerId
 */

/**
 * The editor's values for a stored plan (to edit it), or for a new plan of a family file: its first address, a weekly
 * schedule starting on <today> (yyyy-MM-dd, China).
 * @param {CarePlan | null} plan
 * @param {{ addresses?: { text: string, position: { lat: number, lon: number } }[] }} file
 * @param {string} today
 * @returns {PlanForm}
 */
export function formOf(plan, file, today) {
  if (!plan) {
    const home = file.addresses?.[0];
    return {
      category: 'Groceries', urgency: 'Routine', kind: 'weekly', days: [], n: '7', from: '09:00', to: '11:00',
      startDate: today, endDate: '', paused: false,
      place: home ? { address: home.text, position: home.position } : null, notes: '', preferredVolunteerId: '',
    };
  }
  const s = plan.schedule;
  return {
    category: plan.category, urgency: plan.urgency, kind: s.kind === 'everyNDays' ? 'everyNDays' : 'weekly',
    days: [...(s.days ?? [])], n: s.n == null ? '7' : String(s.n), from: s.window?.from ?? '', to: s.window?.to ?? '',
    startDate: plan.startDate, endDate: plan.endDate ?? '', paused: plan.paused,
    place: { address: plan.address, position: plan.position }, notes: plan.notes ?? '',
    preferredVolunteerId: plan.preferredVolunteerId ?? '',
  };
}

/**
 * The body of POST/PUT …/care-plans from the editor's values, or the fields the page can already tell are missing
 * or unreadable ({ field: [message] }, named as the API names them). Whether the schedule fires (days, the window's
 * order, the end date) is the API's to judge: its 400 names the field the same way.
 * @param {PlanForm} form
 * @returns {{ body: CarePlanBody | null, errors: Record<string, string[]> }}
 */
export function planBody(form) {
  /** @type {Record<string, string[]>} */
  const errors = {};
  const required = (/** @type {string} */ field, /** @type {string} */ value) => {
    if (!value.trim()) errors[field] = [t('care.v.required')];
  };
  required('schedule.window.from', form.from);
  required('schedule.window.to', form.to);
  required('startDate', form.startDate);
  const n = Number(form.n);
  if (form.kind === 'everyNDays' && !(Number.isInteger(n) && n > 0)) errors['schedule.n'] = [t('care.v.wholeNumber')];
  if (!form.place) errors.address = [t('care.v.place')];
  const preferred = form.preferredVolunteerId.trim();
  if (preferred && !GUID.test(preferred)) errors.preferredVolunteerId = [t('care.v.volunteerId')];
  if (Object.keys(errors).length || !form.place) return { body: null, errors };
  const window = { from: form.from, to: form.to };
  return {
    body: {
      category: /** @type {CarePlanBody['category']} */ (form.category),
      urgency: /** @type {CarePlanBody['urgency']} */ (form.urgency),
      // Both days and n are sent, the one that does not apply as null: the API reads a schedule only with both.
      schedule: form.kind === 'weekly'
        ? { kind: 'weekly', days: /** @type {DayWord[]} */ (DAYS.filter(d => form.days.includes(d))), n: null, window }
        : { kind: 'everyNDays', days: null, n, window },
      startDate: form.startDate,
      endDate: form.endDate || null,
      paused: form.paused,
      position: form.place.position,
      address: form.place.address,
      notes: form.notes.trim() || null,
      preferredVolunteerId: preferred || null,
    },
    errors,
  };
}

/**
 * The body that stores <plan> again as it is, paused or not (the pause/resume button).
 * @param {CarePlan} plan
 * @param {boolean} paused
 * @returns {CarePlanBody}
 */
export function withPaused(plan, paused) {
  const { kind, days, n, window } = plan.schedule;
  return {
    category: plan.category, urgency: plan.urgency, schedule: { kind, days: days ?? null, n: n ?? null, window }, startDate: plan.startDate,
    endDate: plan.endDate ?? null, paused, position: plan.position, address: plan.address,
    notes: plan.notes || null, preferredVolunteerId: plan.preferredVolunteerId ?? null,
  };
}
