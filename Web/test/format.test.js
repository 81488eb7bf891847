// @ts-check
// The shared formatting of times, durations, minutes and distances (js/format.js), in both languages.
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { chinaDate, chinaToday, dateTime, distance, duration, fullDateTime, kilometres, minutes, NONE, timeOfDay, when } from '/js/format.js';
import { setLanguage } from '/js/i18n.js';

afterEach(() => setLanguage('zh-CN'));

test('duration: m:ss, h:mm:ss past an hour, nothing below zero', () => {
  assert.equal(duration(0), '0:00');
  assert.equal(duration(65_999), '1:05');
  assert.equal(duration(3_661_000), '1:01:01');
  assert.equal(duration(-5_000), '0:00');
});

test('timeOfDay and dateTime: HH:MM, with the date when asked; empty when there is no time', () => {
  const at = new Date(2026, 0, 5, 9, 7, 3);
  assert.equal(timeOfDay(at), '09:07');
  assert.equal(timeOfDay(at.toISOString()), '09:07');
  assert.equal(dateTime(at.toISOString()), '1/5 09:07');
  assert.equal(timeOfDay(null), '');
  assert.equal(dateTime(undefined), '');
  setLanguage('en');
  assert.equal(timeOfDay(at), '09:07 AM');
  assert.equal(dateTime(at.toISOString()), '1/5, 09:07 AM');
});

test('timeOfDay and fullDateTime in a language the caller names, whatever the page has chosen', () => {
  const at = new Date(2026, 0, 5, 9, 7, 3);
  setLanguage('en');
  assert.equal(timeOfDay(at, 'zh-CN'), '09:07');
  assert.equal(fullDateTime(at.toISOString(), 'zh-CN'), '2026/1/5 09:07:03');
  assert.equal(fullDateTime(at.toISOString()), '1/5/2026, 9:07:03 AM');
  assert.equal(fullDateTime(null), '');
});

test('chinaToday: the China date, a day ahead of UTC in the evening', () => {
  assert.equal(chinaToday(Date.parse('2026-11-30T15:59:00Z')), '2026-11-30');
  assert.equal(chinaToday(Date.parse('2026-11-30T16:00:00Z')), '2026-12-01');
});

test('chinaDate: the day in China, whatever the reader\'s time zone, in the page\'s language', () => {
  assert.equal(chinaDate('2026-11-30T15:59:00Z'), '2026/11/30');
  assert.equal(chinaDate('2026-11-30T16:00:00Z'), '2026/12/1');
  assert.equal(chinaDate(null), '');
  setLanguage('en');
  assert.equal(chinaDate('2026-11-30T16:00:00Z'), '12/1/2026');
});

test('when: to the second today, the date on another day, a dash for none', () => {
  const at = new Date(2026, 0, 5, 9, 7, 3);
  assert.equal(when(at.toISOString(), new Date(2026, 0, 5, 23, 0)), '09:07:03');
  assert.equal(when(at.toISOString(), new Date(2026, 0, 6, 0, 1)), '1/5 09:07');
  assert.equal(when(null), NONE);
});

test('minutes: one decimal, or whole and at least one for an ETA; a dash for what is not a number', () => {
  assert.equal(minutes(4.46), '4.5 分钟');
  assert.equal(minutes(0), '0.0 分钟');
  assert.equal(minutes(4.46, { whole: true }), '4 分钟');
  assert.equal(minutes(0.2, { whole: true }), '1 分钟');
  for (const value of [null, undefined, Number.NaN, '4']) assert.equal(minutes(/** @type {any} */ (value)), NONE);
  setLanguage('en');
  assert.equal(minutes(12), '12.0 min');
});

test('distance: metres below 1 km (exact, or rounded to 10 and at least 10), else km', () => {
  assert.equal(distance(0), '0 米');
  assert.equal(distance(243.6), '244 米');
  assert.equal(distance(243.6, { roundTo: 10 }), '240 米');
  assert.equal(distance(3, { roundTo: 10 }), '10 米');
  assert.equal(distance(999.4), '999 米');
  assert.equal(distance(1000), '1.0 公里');
  assert.equal(distance(12_345, { roundTo: 10 }), '12.3 公里');
  assert.equal(distance(Number.POSITIVE_INFINITY), NONE);
  assert.equal(distance(null), NONE);
  setLanguage('en');
  assert.equal(distance(1500), '1.5 km');
});

test('kilometres: the number alone, one decimal, below 1 km too', () => {
  assert.equal(kilometres(300), '0.3');
  assert.equal(kilometres(12_345), '12.3');
});
