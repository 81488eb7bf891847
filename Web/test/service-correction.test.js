// @ts-check
// Correcting a service record (js/service-correction.js): the body sent for what was typed, and the minutes shown.
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { addTranslations, setLanguage } from '/js/i18n.js';
import coordinator from '/i18n/coordinator.js';
import { correctionBody, minutesText } from '/js/service-correction.js';

addTranslations(coordinator);
afterEach(() => setLanguage('zh-CN'));

test('correctionBody sends the minutes as a number and the reason trimmed', () => {
  assert.deepEqual(correctionBody({ minutes: ' 45.5 ', reason: '  漏记了返程 ' }), { body: { minutes: 45.5, reason: '漏记了返程' }, errors: {} });
  assert.deepEqual(correctionBody({ minutes: '0', reason: '重复登记' }).body, { minutes: 0, reason: '重复登记' });
});

test('correctionBody leaves a negative value to the API, which names the field', () => {
  assert.deepEqual(correctionBody({ minutes: '-5', reason: '打错了' }).body, { minutes: -5, reason: '打错了' });
});

test('correctionBody refuses blank or non-numeric minutes and a missing reason, by field, in the page language', () => {
  const { body, errors } = correctionBody({ minutes: 'abc', reason: '  ' });
  assert.equal(body, null);
  assert.deepEqual(Object.keys(errors).sort(), ['minutes', 'reason']);
  assert.equal(correctionBody({ minutes: '', reason: 'x' }).errors.minutes.length, 1);
  setLanguage('en');
  assert.match(correctionBody({ minutes: '1', reason: '' }).errors.reason[0], /reason/i);
});

test('minutesText shows at most two decimals without trailing zeros', () => {
  assert.equal(minutesText(75), '75');
  assert.equal(minutesText(0.5), '0.5');
  assert.equal(minutesText(12.254), '12.25');
  assert.equal(minutesText(0), '0');
});
