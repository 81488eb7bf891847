// @ts-check
// Loaded by `node --import` before the tests (npm test): the page modules import each other by site path
// ('/js/i18n.js'), so a resolve hook maps /js/ and /i18n/ to Web/wwwroot; and i18n.js reads the page's URL,
// storage and document at load, so the few browser globals it touches are stood in for here.
import { register } from 'node:module';

register('./wwwroot-paths.js', import.meta.url);

globalThis.location ??= /** @type {any} */ (new URL('http://localhost/'));
globalThis.Element ??= /** @type {any} */ (class Element {});
globalThis.document ??= /** @type {any} */ ({ documentElement: {}, querySelectorAll: () => [] });
