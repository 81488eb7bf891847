// @ts-check
// The lifecycle module on its own terms (Tests/Unit/LifecycleModuleTests.cs holds it to the C#).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import table from '/i18n/common.js';
import { ASSIGNED, CLOSED, COMING, isAssigned, isClosed, isComing, isOpen, nextStep, OPEN, PATH, STATUSES } from '/js/lifecycle.js';

test('the steps from a claim lead to done, one at a time, and stop there', () => {
  const walked = ['Claimed'];
  for (let next = nextStep('Claimed'); next; next = nextStep(next)) walked.push(next);
  assert.deepEqual(walked, ['Claimed', 'EnRoute', 'OnSite', 'Completed']);
  for (const status of ['New', 'Offered', 'Completed', 'Cancelled', 'Unknown']) assert.equal(nextStep(status), null, status);
});

test('open and closed split the statuses after intake', () => {
  assert.deepEqual([...OPEN, ...CLOSED].sort(), STATUSES.filter(s => s !== 'New').sort());
  for (const status of STATUSES) {
    assert.ok(!(isOpen(status) && isClosed(status)), status);
    assert.equal(isAssigned(status), ASSIGNED.includes(status), status);
    assert.equal(isComing(status), COMING.includes(status), status);
  }
  assert.ok(!isOpen('New') && !isClosed('New'));
  assert.deepEqual(PATH, ['Offered', 'Claimed', 'EnRoute', 'OnSite', 'Completed']);
  assert.ok(COMING.every(isAssigned) && !isComing('OnSite'), 'someone coming is assigned and not yet on site');
});

test('the lists cannot be changed by a page', () => {
  for (const list of [STATUSES, OPEN, CLOSED, ASSIGNED, COMING, PATH]) assert.ok(Object.isFrozen(list));
});

test('every status has a name in both languages', () => {
  const common = /** @type {Record<string, Record<string, string>>} */ (table);
  for (const lang of ['zh-CN', 'en']) {
    for (const status of STATUSES) assert.ok(common[lang][`status.${status}`], `${lang}: status.${status}`);
  }
});
