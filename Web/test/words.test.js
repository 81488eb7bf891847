// @ts-check
// The words module on its own terms (Tests/Unit/WordsModuleTests.cs holds it to the C#).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import table from '/i18n/common.js';
import { CATEGORIES, firstOf, URGENCIES } from '/js/words.js';

test('firstOf puts the named words first, in the order named, and keeps every word once', () => {
  const ordered = firstOf(CATEGORIES, ['Medicine', 'Groceries', 'Nonsense']);
  assert.deepEqual(ordered.slice(0, 2), ['Medicine', 'Groceries']);
  assert.deepEqual([...ordered].sort(), [...CATEGORIES].sort());
});

test('every category and urgency has its words in both languages', () => {
  const words = /** @type {Record<string, Record<string, string>>} */ (table);
  for (const lang of ['zh-CN', 'en']) {
    for (const c of CATEGORIES) assert.ok(words[lang][`category.${c}`], `${lang} category.${c}`);
    for (const u of URGENCIES) assert.ok(words[lang][`urgency.${u}`], `${lang} urgency.${u}`);
  }
});
