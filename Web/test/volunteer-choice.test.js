// @ts-check
// Choosing volunteers by name (js/volunteer-choice.js): the searches the picker sends and the choice after a pick.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_QUERY, pick, pickerNames, pickerSearch } from '/js/volunteer-choice.js';

test('pickerSearch sends the trimmed text, encoded, and nothing for blanks', () => {
  assert.equal(pickerSearch('  王 '), `/api/volunteers/picker?q=${encodeURIComponent('王')}`);
  assert.equal(pickerSearch('a&b=c'), '/api/volunteers/picker?q=a%26b%3Dc');
  assert.equal(pickerSearch('   '), null);
  assert.equal(pickerSearch(''), null);
  const long = pickerSearch('x'.repeat(MAX_QUERY + 10));
  assert.equal(new URL(long ?? '', 'http://h').searchParams.get('q')?.length, MAX_QUERY);
});

test('pickerNames asks for the chosen ids in one call, and nothing when none are chosen', () => {
  assert.equal(pickerNames(['a', 'b']), '/api/volunteers/picker?ids=a%2Cb');
  assert.equal(pickerNames([]), null);
});

test('pick adds a new id at the end, ignores one already chosen, and stops at max', () => {
  assert.deepEqual(pick(['a'], 'b', 5), { chosen: ['a', 'b'], full: false });
  const same = ['a', 'b'];
  assert.equal(pick(same, 'a', 5).chosen, same);
  assert.deepEqual(pick(['a', 'b'], 'c', 2), { chosen: ['a', 'b'], full: true });
});

test('pick with max 1 replaces the choice (a plan has one preferred helper)', () => {
  assert.deepEqual(pick(['a'], 'b', 1), { chosen: ['b'], full: false });
  assert.deepEqual(pick([], 'b', 1), { chosen: ['b'], full: false });
});
