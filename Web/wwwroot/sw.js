// The volunteer app's service worker: keeps the page shell (HTML, scripts, styles, tables, libraries, icons)
// so the page opens on a bad connection. Network first, the cache only when the network fails; API answers
// and the live hub are never touched or cached.
const CACHE = 'outreach-volunteer-shell-v1';
const SHELL = [
  '/volunteer',
  '/css/app.css', '/css/volunteer.css',
  '/js/api.js', '/js/dom.js', '/js/header.js', '/js/i18n.js', '/js/live.js', '/js/map.js',
  '/js/volunteer.js', '/js/volunteer-alert.js', '/js/volunteer-assignments.js', '/js/volunteer-format.js',
  '/js/volunteer-geo.js', '/js/volunteer-offers.js',
  '/i18n/common.js', '/i18n/volunteer.js',
  '/lib/leaflet/leaflet.js', '/lib/leaflet/leaflet.css', '/lib/signalr/signalr.min.js',
  '/favicon.svg', '/icons/volunteer.svg', '/icons/volunteer-192.png', '/volunteer.webmanifest',
];
const SHELL_SET = new Set(SHELL);

self.addEventListener('install', event => {
  // Files that fail (e.g. /volunteer without a login) are simply not cached yet.
  event.waitUntil(caches.open(CACHE)
    .then(cache => Promise.all(SHELL.map(path => fetch(path, { credentials: 'same-origin' })
      .then(response => (response.ok && !response.redirected ? cache.put(path, response) : undefined))
      .catch(() => undefined))))
    .then(() => self.skipWaiting()));
});

self.addEventListener('activate', event => {
  event.waitUntil(caches.keys()
    .then(keys => Promise.all(keys.filter(key => key.startsWith('outreach-volunteer-') && key !== CACHE).map(key => caches.delete(key))))
    .then(() => self.clients.claim()));
});

self.addEventListener('fetch', event => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || !SHELL_SET.has(url.pathname) || url.search) return;
  event.respondWith(fetch(request)
    .then(response => {
      if (response.ok && response.type === 'basic' && !response.redirected) {
        const copy = response.clone();
        caches.open(CACHE).then(cache => cache.put(url.pathname, copy)).catch(() => {});
      }
      return response;
    })
    .catch(() => caches.match(url.pathname).then(cached => cached ?? Response.error())));
});

self.addEventListener('notificationclick', event => {
  event.notification.close();
  event.waitUntil(self.clients.matchAll({ type: 'window' }).then(windows =>
    windows.length > 0 ? windows[0].focus() : self.clients.openWindow('/volunteer')));
});
