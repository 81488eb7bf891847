// @ts-check
// The translation tables: every key in both languages (this replaced a browser test), and t()'s filling
// and fallback.
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { test } from 'node:test';
import { addTranslations, getLanguage, setLanguage, t } from '/js/i18n.js';

const I18N = new URL('../wwwroot/i18n/', import.meta.url);
const files = (await readdir(I18N)).filter(name => name.endsWith('.js')).sort();

test('there are translation tables to check', () => {
  assert.ok(files.includes('common.js') && files.length >= 5, `found ${files.join(', ')}`);
});

for (const file of files) {
  test(`${file} has every key in both languages`, async () => {
    const table = (await import(new URL(file, I18N).href)).default;
    const zh = Object.keys(table['zh-CN'] ?? {});
    const en = Object.keys(table.en ?? {});
    const missing = [
      ...zh.filter(key => !en.includes(key)).map(key => `en: ${key}`),
      ...en.filter(key => !zh.includes(key)).map(key => `zh-CN: ${key}`),
    ];
    assert.ok(zh.length > 0, `${file}: the zh-CN table is empty`);
    assert.deepEqual(missing, [], `${file} lacks: ${missing.join(', ')}`);
    assert.deepEqual(Object.keys(table).sort(), ['en', 'zh-CN'], `${file}: languages other than zh-CN and en`);
  });
}

test('t fills placeholders, keeps unknown ones and falls back to Chinese', () => {
  addTranslations({ 'zh-CN': { 'test.only.zh': '只有中文 {n}' }, en: {} });
  setLanguage('en');
  try {
    assert.equal(getLanguage(), 'en');
    assert.equal(t('unit.minutes', { n: 3 }), '3 min');
    assert.equal(t('unit.minutes'), '{n} min');
    assert.equal(t('test.only.zh', { n: 2 }), '只有中文 2');
  } finally {
    setLanguage('zh-CN');
  }
  assert.equal(t('unit.minutes', { n: 3 }), '3 分钟');
});
