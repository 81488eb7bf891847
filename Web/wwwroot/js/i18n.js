// Translations: t(key, params), the current language, and filling data-i18n* attributes.
// Language: ?lang=en (or zh-CN) in the URL, else the last choice (localStorage), else Simplified Chinese.
// A page adds its own table:  import table from '/i18n/volunteer.js'; addTranslations(table);
import common from '/i18n/common.js';

export const LANGUAGES = ['zh-CN', 'en'];
export const DEFAULT_LANGUAGE = 'zh-CN';
const STORAGE_KEY = 'outreach.lang';

const tables = [common];
const listeners = new Set();
let language = initialLanguage();
document.documentElement.lang = language;

function normalise(lang) {
  if (!lang) return null;
  const lower = String(lang).toLowerCase();
  if (lower.startsWith('zh')) return 'zh-CN';
  if (lower.startsWith('en')) return 'en';
  return null;
}

function initialLanguage() {
  const fromUrl = normalise(new URLSearchParams(location.search).get('lang'));
  if (fromUrl) {
    remember(fromUrl);
    return fromUrl;
  }
  return normalise(readStored()) ?? DEFAULT_LANGUAGE;
}

function readStored() {
  try { return localStorage.getItem(STORAGE_KEY); } catch { return null; }
}

function remember(lang) {
  try { localStorage.setItem(STORAGE_KEY, lang); } catch { /* private mode: the choice lasts for this page */ }
}

/** Adds a page's table ({ 'zh-CN': {...}, en: {...} }). */
export function addTranslations(table) {
  tables.push(table);
}

/** The current language: 'zh-CN' or 'en'. */
export function getLanguage() {
  return language;
}

/** The translation of key in the current language, with {name} placeholders filled from params. */
export function t(key, params) {
  const text = lookup(key);
  if (text === undefined) {
    console.warn(`i18n: no text for "${key}"`);
    return key;
  }
  return params ? text.replace(/\{(\w+)\}/g, (m, name) => (name in params ? String(params[name]) : m)) : text;
}

/** The translation of key if a table has it, else undefined (no warning): for keys made from data. */
export function maybeT(key) {
  return lookup(key);
}

function lookup(key) {
  for (const lang of [language, DEFAULT_LANGUAGE]) {
    for (let i = tables.length - 1; i >= 0; i--) {
      const text = tables[i][lang]?.[key];
      if (text !== undefined) return text;
    }
  }
  return undefined;
}

/**
 * Fills root and its descendants: data-i18n (textContent), data-i18n-placeholder, data-i18n-title,
 * data-i18n-aria-label. data-i18n-params holds JSON params for t().
 */
/** @param {Document | Element} [root] */
export function applyTranslations(root = document) {
  const targets = [];
  if (root instanceof Element) targets.push(root);
  targets.push(...root.querySelectorAll('[data-i18n],[data-i18n-placeholder],[data-i18n-title],[data-i18n-aria-label]'));
  for (const node of targets) {
    const params = node.dataset.i18nParams ? JSON.parse(node.dataset.i18nParams) : undefined;
    if (node.dataset.i18n) node.textContent = t(node.dataset.i18n, params);
    if (node.dataset.i18nPlaceholder) node.placeholder = t(node.dataset.i18nPlaceholder, params);
    if (node.dataset.i18nTitle) node.title = t(node.dataset.i18nTitle, params);
    if (node.dataset.i18nAriaLabel) node.setAttribute('aria-label', t(node.dataset.i18nAriaLabel, params));
  }
}

/** Switches language, remembers it, re-translates the document and tells the listeners. */
export function setLanguage(lang) {
  const next = normalise(lang) ?? DEFAULT_LANGUAGE;
  remember(next);
  if (next === language) return;
  language = next;
  document.documentElement.lang = next;
  applyTranslations(document);
  for (const listener of listeners) listener(next);
}

/** Calls listener(lang) after every switch (re-render what was built with t()); returns an unsubscribe function. */
export function onLanguageChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** A button that switches between Chinese and English; it shows the other language's name. */
export function languageSwitch() {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'btn lang-switch';
  button.dataset.i18n = 'lang.switchTo';
  button.dataset.i18nTitle = 'lang.switchTitle';
  button.addEventListener('click', () => setLanguage(language === 'en' ? 'zh-CN' : 'en'));
  applyTranslations(button);
  return button;
}
