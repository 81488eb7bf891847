// @ts-check
// The volunteer page's shell, for its service worker (wwwroot/sw.js): the page's route, every file its HTML
// names (styles, scripts, icons, the manifest), the icons the manifest names, and every module the page's
// scripts import, followed import by import. Run at build (Web.csproj): writes wwwroot/sw-shell.js, which
// sw.js loads with importScripts. A new module is in the shell as soon as a listed module imports it.
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/** The pages that have a service worker: their route and HTML file. */
export const PAGES = [{ route: '/volunteer', html: 'volunteer.html' }];

const HTML_REFERENCE = /<(?:link|script)\b[^>]*?\b(?:href|src)="(\/[^"]*)"/g;
const IMPORT = /\bimport\s*(?:[\w$*{}\s,]+?\s*from\s*)?\(?\s*['"](\/[^'"]+)['"]/g;

/**
 * @param {RegExp} pattern
 * @param {string} text
 */
const matches = (pattern, text) => [...text.matchAll(pattern)].map(match => match[1]);

/**
 * The site paths the page's shell is made of, the route first, the rest sorted.
 * @param {URL} wwwroot the folder served at /
 * @param {{ route: string, html: string }} page
 * @returns {Promise<string[]>}
 */
export async function shellOf(wwwroot, page) {
  /** @param {string} path */
  const read = path => readFile(new URL(`.${path}`, wwwroot), 'utf8');
  const files = new Set(matches(HTML_REFERENCE, await read(`/${page.html}`)));
  for (const path of [...files].filter(p => p.endsWith('.webmanifest'))) {
    /** @type {{ icons?: { src: string }[] }} */
    const manifest = JSON.parse(await read(path));
    for (const icon of manifest.icons ?? []) if (icon.src.startsWith('/')) files.add(icon.src);
  }
  const modules = [...files].filter(p => p.startsWith('/js/'));
  for (let i = 0; i < modules.length; i++) {
    for (const imported of matches(IMPORT, await read(modules[i]))) {
      if (files.has(imported)) continue;
      files.add(imported);
      modules.push(imported);
    }
  }
  return [page.route, ...[...files].sort()];
}

/**
 * The text of wwwroot/sw-shell.js.
 * @param {URL} wwwroot
 */
export async function shellScript(wwwroot) {
  const shells = Object.fromEntries(await Promise.all(PAGES.map(async page => [page.route, await shellOf(wwwroot, page)])));
  return '// Generated at build by Web/build/service-worker-shell.js from the pages and the modules they import; do not edit.\n'
    + `self.SHELLS = ${JSON.stringify(shells, null, 2)};\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const wwwroot = new URL('../wwwroot/', import.meta.url);
  const target = new URL('sw-shell.js', wwwroot);
  const text = await shellScript(wwwroot);
  const old = await readFile(target, 'utf8').catch(() => null);
  if (old !== text) await writeFile(target, text);
}
