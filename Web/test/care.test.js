// @ts-check
// Care plans in words and as API bodies (js/care.js): schedules and visits in China time, in both languages, and the
// body the plan editor sends.
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { chinaClock, dateWords, formOf, occurrenceWords, planBody, scheduleWords, withPaused } from '/js/care.js';
import { setLanguage } from '/js/i18n.js';

afterEach(() => setLanguage('zh-CN'));

const window = { from: '09:00', to: '11:00' };

/** @type {import('../types/api').CarePlan} */
const stored = {
  id: 'p1', workerId: 'w1', category: 'Groceries', urgency: 'Routine',
  schedule: { kind: 'weekly', days: ['Tue', 'Fri'], n: null, window },
  startDate: '2026-12-01', endDate: null, paused: false, position: { lat: 35.76, lon: 115.03 }, address: '华龙区 中原路 2号院',
  notes: '', preferredVolunteerId: null, createdAt: '2026-11-30T01:00:00Z', updatedAt: '2026-11-30T01:00:00Z',
  updatedBy: 'op', next: [],
};

const home = { text: '华龙区 中原路 2号院', position: { lat: 35.76, lon: 115.03 } };

test('scheduleWords: weekly days in week order, every day, every N days; in both languages', () => {
  assert.equal(scheduleWords({ kind: 'weekly', days: ['Fri', 'Tue'], window }), '每周二、五 09:00–11:00');
  assert.equal(scheduleWords({ kind: 'weekly', days: ['Sun', 'Mon'], window }), '每周一、日 09:00–11:00');
  assert.equal(scheduleWords({ kind: 'everyNDays', n: 3, window }), '每 3 天 09:00–11:00');
  assert.equal(scheduleWords({ kind: 'everyNDays', n: 1, window }), '每天 09:00–11:00');
  setLanguage('en');
  assert.equal(scheduleWords({ kind: 'weekly', days: ['Fri', 'Tue'], window }), 'Every Tue, Fri 09:00–11:00');
  assert.equal(scheduleWords({ kind: 'everyNDays', n: 3, window }), 'Every 3 days 09:00–11:00');
});

test('chinaClock and occurrenceWords: instants read in China time (UTC+8), across midnight UTC', () => {
  assert.deepEqual(chinaClock('2026-12-01T01:00:00Z'), { time: '09:00', date: '2026-12-01', day: 'Tue' });
  assert.deepEqual(chinaClock('2026-11-30T16:30:00+00:00'), { time: '00:30', date: '2026-12-01', day: 'Tue' });
  assert.equal(dateWords('2026-12-01'), '12月1日 周二');
  const visit = { date: '2026-12-04', from: '2026-12-04T01:00:00+00:00', to: '2026-12-04T03:00:00+00:00' };
  assert.equal(occurrenceWords(visit), '12月4日 周五 09:00–11:00');
  setLanguage('en');
  assert.equal(occurrenceWords(visit), 'Fri 12/4 09:00–11:00');
});

test('formOf then planBody: a stored plan goes back as the same body', () => {
  const { body, errors } = planBody(formOf(stored, { addresses: [] }, '2026-11-30'));
  assert.deepEqual(errors, {});
  assert.deepEqual(body, withPaused(stored, false));
  assert.deepEqual(body?.schedule, { kind: 'weekly', days: ['Tue', 'Fri'], n: null, window });
});

test('planBody: a new plan at the family\'s first address, days in week order, blanks as null', () => {
  const form = { ...formOf(null, { addresses: [home] }, '2026-11-30'), days: ['Fri', 'Tue'], notes: '  买菜  ' };
  const { body } = planBody(form);
  assert.deepEqual(body, {
    category: 'Groceries', urgency: 'Routine', schedule: { kind: 'weekly', days: ['Tue', 'Fri'], n: null, window },
    startDate: '2026-11-30', endDate: null, paused: false, position: home.position, address: home.text,
    notes: '买菜', preferredVolunteerId: null,
  });
  const every = planBody({ ...form, kind: 'everyNDays', n: '3', endDate: '2027-01-31' }).body;
  assert.deepEqual(every?.schedule, { kind: 'everyNDays', days: null, n: 3, window });
  assert.equal(every?.endDate, '2027-01-31');
});

test('planBody: what the page can tell is wrong is named as the API names it; the rest is the API\'s to judge', () => {
  const form = formOf(null, { addresses: [] }, '2026-11-30');
  const { body, errors } = planBody({ ...form, from: '', startDate: ' ', kind: 'everyNDays', n: '2.5', preferredVolunteerId: 'abc' });
  assert.equal(body, null);
  assert.deepEqual(Object.keys(errors).sort(), ['address', 'preferredVolunteerId', 'schedule.n', 'schedule.window.from', 'startDate']);
  assert.deepEqual(errors['schedule.window.from'], ['必填']);
  // A window that ends before it starts and a week with no day are sent: the API's 400 says which field.
  const late = planBody({ ...formOf(null, { addresses: [home] }, '2026-11-30'), from: '11:00', to: '09:00' });
  assert.deepEqual(late.errors, {});
  assert.deepEqual(late.body?.schedule, { kind: 'weekly', days: [], n: null, window: { from: '11:00', to: '09:00' } });
});

test('withPaused: the same plan, paused or resumed, its schedule with both days and n as the API reads it', () => {
  assert.deepEqual(withPaused({ ...stored, schedule: { kind: 'everyNDays', n: 3, window } }, true).schedule,
    { kind: 'everyNDays', days: null, n: 3, window });
  const paused = withPaused({ ...stored, notes: '周二买菜', preferredVolunteerId: 'v1' }, true);
  assert.equal(paused.paused, true);
  assert.equal(paused.notes, '周二买菜');
  assert.equal(paused.preferredVolunteerId, 'v1');
  assert.equal(withPaused(stored, false).paused, false);
});
