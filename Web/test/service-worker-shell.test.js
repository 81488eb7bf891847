// @ts-check
// The service worker's shell list, made at build by build/service-worker-shell.js.
import assert from 'node:assert/strict';
import { access, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { PAGES, shellOf, shellScript } from '../build/service-worker-shell.js';

const WWWROOT = new URL('../wwwroot/', import.meta.url);
const IMPORT = /\bimport\s*(?:[\w$*{}\s,]+?\s*from\s*)?\(?\s*['"](\/[^'"]+)['"]/g;

test('follows a page to its styles, scripts, manifest icons and every module imported, statically or not', async () => {
  const root = await mkdtemp(join(tmpdir(), 'shell-'));
  try {
    await mkdir(join(root, 'js'));
    await mkdir(join(root, 'i18n'));
    await writeFile(join(root, 'i18n', 't.js'), 'export default {};');
    await writeFile(join(root, 'page.html'), `<link rel="manifest" href="/page.webmanifest">
      <link rel="stylesheet" href="/css/page.css"><script src="/lib/x.js"></script>
      <script type="module" src="/js/page.js"></script><a href="/not-a-file">`);
    await writeFile(join(root, 'page.webmanifest'), JSON.stringify({ icons: [{ src: '/icons/a.png' }, { src: 'https://elsewhere/b.png' }] }));
    await writeFile(join(root, 'js', 'page.js'), "import { a } from '/js/a.js';\nimport '/js/side.js';\nconst later = () => import('/js/later.js');\n");
    await writeFile(join(root, 'js', 'a.js'), "import {\n  b,\n  c,\n} from '/js/b.js';\nimport table from '/i18n/t.js';\nexport const a = 1;\n");
    await writeFile(join(root, 'js', 'b.js'), "import { a } from '/js/a.js';\nexport const b = 2;\n");
    await writeFile(join(root, 'js', 'side.js'), '');
    await writeFile(join(root, 'js', 'later.js'), '');

    const shell = await shellOf(pathToFileURL(`${root}/`), { route: '/page', html: 'page.html' });

    assert.deepEqual(shell, ['/page', '/css/page.css', '/i18n/t.js', '/icons/a.png', '/js/a.js', '/js/b.js',
      '/js/later.js', '/js/page.js', '/js/side.js', '/lib/x.js', '/page.webmanifest']);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('the volunteer shell holds every module its modules import, and files that exist', async () => {
  for (const page of PAGES) {
    const shell = await shellOf(WWWROOT, page);
    assert.equal(shell[0], page.route);
    for (const path of shell.filter(p => p.startsWith('/js/') || p.startsWith('/i18n/'))) {
      const text = await readFile(new URL(`.${path}`, WWWROOT), 'utf8');
      for (const [, imported] of text.matchAll(IMPORT)) assert.ok(shell.includes(imported), `${path} imports ${imported}, not in the shell`);
    }
    for (const path of shell.slice(1).filter(p => !p.startsWith('/lib/'))) await access(new URL(`.${path}`, WWWROOT));
  }
  const volunteer = await shellOf(WWWROOT, PAGES[0]);
  for (const module of ['/js/volunteer.js', '/js/volunteer-push.js', '/js/lifecycle.js', '/js/format.js', '/i18n/volunteer.js']) {
    assert.ok(volunteer.includes(module), module);
  }
});

test('the written script is what the service worker reads', async () => {
  const script = await shellScript(WWWROOT);
  const self = /** @type {{ SHELLS?: Record<string, string[]> }} */ ({});
  new Function('self', script)(self);
  assert.deepEqual(self.SHELLS?.['/volunteer'], await shellOf(WWWROOT, PAGES[0]));
});
