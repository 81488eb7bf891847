// @ts-check
// The pure part of correcting a service record on the coordinator's desk (js/coordinator-hours.js): the body of
// PUT /api/service-records/{id} from what was typed. The page only checks that the minutes are a number and that a
// reason is given; the API decides the rest (not negative, not longer than the request was open) and names the field.
import { t } from '/js/i18n.js';

/**
 * @param {{ minutes: string, reason: string }} form what the coordinator typed
 * @returns {{ body: { minutes: number, reason: string } | null, errors: Record<string, string[]> }}
 */
export function correctionBody(form) {
  /** @type {Record<string, string[]>} */
  const errors = {};
  const text = String(form.minutes ?? '').trim();
  const minutes = Number(text);
  if (!text || !Number.isFinite(minutes)) errors.minutes = [t('coordinator.hours.v.minutes')];
  const reason = String(form.reason ?? '').trim();
  if (!reason) errors.reason = [t('coordinator.hours.v.reason')];
  return Object.keys(errors).length ? { body: null, errors } : { body: { minutes, reason }, errors };
}

/**
 * Minutes as the desk shows them: at most two decimals, no trailing zeros ("75", "0.5", "12.25").
 * @param {number} value
 */
export function minutesText(value) {
  return String(Math.round(value * 100) / 100);
}
