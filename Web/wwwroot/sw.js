// The volunteer app's service worker: keeps the page shell (HTML, scripts, styles, tables, libraries, icons)
// so the page opens on a bad connection. Network first, the cache only when the network fails; API answers
// and the live hub are never touched or cached.
// It also takes Web Push (issue #13): an offer shows a notification (抢单 claims from here with the volunteer's
// cookie, 查看 opens the page on the offer) unless a page of ours is visible or already showed that offer; a
// withdrawal closes it. Every push received is acknowledged to the server (the delivery record says "seen").
const CACHE = 'outreach-volunteer-shell-v2';
// The shell's files: wwwroot/sw-shell.js is written at build from the page and the modules it imports.
importScripts('/sw-shell.js');
const SHELL = self.SHELLS['/volunteer'];
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

// ---- Web Push.
// The page and this worker share a small cache (not the shell's: it survives new versions) as a key-value store:
// /seen/{requestId} for offers a page already showed, /prefs/lang for the language the volunteer chose.
const NOTES = 'outreach-push-notes';
const MAX_SEEN = 200;

const WORDS = {
  'zh-CN': {
    category: {
      Groceries: '菜篮子', Meals: '饭盘子', SchoolSupplies: '书袋子', Medicine: '药箱子',
      Tutoring: '子女教育', Escort: '应急陪护', FirstAid: '急救', Other: '其他',
    },
    urgency: { Emergency: '紧急', Urgent: '加急', Routine: '一般' },
    title: (urgency, category) => `【${urgency}】新的求助：${category}`,
    body: (eta, distance) => `约 ${eta} 分钟到达 · 距离约 ${distance}`,
    meters: n => `${n} 米`,
    kilometers: n => `${n} 公里`,
    claim: '抢单',
    view: '查看',
    claimed: '抢单成功',
    claimedBody: '请打开页面查看地址并尽快出发',
    taken: '已被他人接单',
    takenBody: '手慢了：这条求助已被其他志愿者接单',
    closed: '这条求助已结束',
    failed: '抢单失败',
    failedBody: '请打开页面重试',
    signIn: '请先登录',
  },
  en: {
    category: {
      Groceries: 'Groceries', Meals: 'Meals', SchoolSupplies: 'School supplies', Medicine: 'Medicine',
      Tutoring: 'Tutoring', Escort: 'Escort', FirstAid: 'First aid', Other: 'Other',
    },
    urgency: { Emergency: 'Emergency', Urgent: 'Urgent', Routine: 'Routine' },
    title: (urgency, category) => `[${urgency}] New request: ${category}`,
    body: (eta, distance) => `ETA ${eta} min · about ${distance} away`,
    meters: n => `${n} m`,
    kilometers: n => `${n} km`,
    claim: 'Claim',
    view: 'View',
    claimed: 'Claimed',
    claimedBody: 'Open the page for the address and set off soon',
    taken: 'Taken by another volunteer',
    takenBody: 'Too late: another volunteer already took this request',
    closed: 'This request is closed',
    failed: 'Claim failed',
    failedBody: 'Open the page and try again',
    signIn: 'Please sign in first',
  },
};

async function words() {
  try {
    const cache = await caches.open(NOTES);
    const saved = await cache.match('/prefs/lang');
    const lang = saved ? await saved.text() : null;
    return WORDS[lang] ?? WORDS['zh-CN'];
  } catch {
    return WORDS['zh-CN'];
  }
}

async function alreadySeen(requestId) {
  try {
    const cache = await caches.open(NOTES);
    return Boolean(await cache.match(`/seen/${requestId}`));
  } catch {
    return false;
  }
}

async function noteSeen(requestId) {
  try {
    const cache = await caches.open(NOTES);
    await cache.put(`/seen/${requestId}`, new Response(String(Date.now())));
    const keys = (await cache.keys()).filter(request => new URL(request.url).pathname.startsWith('/seen/'));
    await Promise.all(keys.slice(0, Math.max(0, keys.length - MAX_SEEN)).map(key => cache.delete(key)));
  } catch {
    // Only a second alert is at stake.
  }
}

function volunteerWindows() {
  return self.clients.matchAll({ type: 'window', includeUncontrolled: true })
    .then(windows => windows.filter(w => new URL(w.url).pathname === '/volunteer'));
}

function distanceText(w, metres) {
  if (typeof metres !== 'number' || !Number.isFinite(metres)) return '—';
  return metres < 1000 ? w.meters(Math.max(100, Math.round(metres / 100) * 100)) : w.kilometers((metres / 1000).toFixed(1));
}

/** Tells the server a device of this volunteer got the offer (the cookie says who). */
function acknowledge(requestId) {
  return fetch(`/api/volunteers/me/offers/${encodeURIComponent(requestId)}/seen?channel=push`,
    { method: 'POST', credentials: 'same-origin' }).catch(() => undefined);
}

async function onOfferPush(offer) {
  const windows = await volunteerWindows();
  const visible = windows.filter(w => w.visibilityState === 'visible');
  const work = [acknowledge(offer.requestId)];
  const shown = await self.registration.getNotifications({ tag: offer.requestId });
  // No second alert: a visible page shows it itself; a page (or an earlier push) already alerted for it.
  const alert = visible.length === 0 && shown.length === 0 && !(await alreadySeen(offer.requestId));
  for (const w of windows) w.postMessage({ type: 'push-offer', offer, alerted: alert });
  if (alert) {
    const w = await words();
    const category = w.category[offer.category] ?? w.category.Other;
    const urgency = w.urgency[offer.urgency] ?? offer.urgency;
    await noteSeen(offer.requestId);
    work.push(self.registration.showNotification(w.title(urgency, category), {
      body: w.body(Math.round(offer.etaMinutes), distanceText(w, offer.distanceM)),
      tag: offer.requestId,
      data: { kind: 'offer', requestId: offer.requestId, url: `/volunteer?offer=${encodeURIComponent(offer.requestId)}` },
      icon: '/icons/volunteer-192.png',
      badge: '/icons/volunteer-192.png',
      requireInteraction: offer.urgency === 'Emergency',
      actions: [{ action: 'claim', title: w.claim }, { action: 'view', title: w.view }],
    }));
  }
  await Promise.all(work);
}

async function onWithdrawnPush(message) {
  const shown = await self.registration.getNotifications({ tag: message.requestId });
  for (const notification of shown) {
    if (notification.data?.kind !== 'result') notification.close(); // the offer's, pushed or the page's
  }
  for (const w of await volunteerWindows()) w.postMessage({ type: 'push-withdrawn', requestId: message.requestId, reason: message.reason });
}

self.addEventListener('push', event => {
  let message;
  try {
    message = event.data ? event.data.json() : null;
  } catch {
    message = null;
  }
  if (!message || typeof message.requestId !== 'string') return;
  if (message.type === 'offer') event.waitUntil(onOfferPush(message));
  else if (message.type === 'withdrawn') event.waitUntil(onWithdrawnPush(message));
});

/** Claims as the page's 抢单 does (the cookie goes along; a 503 is tried again), and says how it went. */
async function claimFromNotification(requestId) {
  const w = await words();
  let outcome = 'failed';
  for (let attempt = 0; attempt < 3; attempt++) {
    let response;
    try {
      response = await fetch(`/api/requests/${encodeURIComponent(requestId)}/claim`,
        { method: 'POST', credentials: 'same-origin', headers: { Accept: 'application/json' } });
    } catch {
      outcome = 'failed';
      break;
    }
    if (response.ok) {
      outcome = 'claimed';
    } else if (response.status === 503) {
      const seconds = Number.parseInt(response.headers.get('Retry-After') ?? '2', 10);
      await new Promise(resolve => setTimeout(resolve, Math.min(5, Number.isFinite(seconds) ? seconds : 2) * 1000));
      continue;
    } else if (response.status === 401) {
      outcome = 'signIn';
    } else {
      let problem = {};
      try { problem = await response.json(); } catch { /* not JSON */ }
      outcome = problem.outcome === 'AlreadyTaken' ? 'taken'
        : problem.outcome === 'NotOpen' || response.status === 403 || response.status === 404 ? 'closed' : 'failed';
    }
    break;
  }
  const texts = {
    claimed: [w.claimed, w.claimedBody],
    taken: [w.taken, w.takenBody],
    closed: [w.closed, ''],
    signIn: [w.signIn, ''],
    failed: [w.failed, w.failedBody],
  }[outcome];
  await self.registration.showNotification(texts[0], {
    body: texts[1],
    tag: requestId,
    data: { kind: 'result', outcome, requestId, url: `/volunteer?offer=${encodeURIComponent(requestId)}` },
    icon: '/icons/volunteer-192.png',
  });
  for (const page of await volunteerWindows()) page.postMessage({ type: 'push-claimed', requestId, outcome });
}

/** Shows the volunteer page on the offer: an open one is focused and told, else one is opened. */
async function openOffer(url, requestId) {
  const windows = await volunteerWindows();
  if (windows.length > 0) {
    const page = windows[0];
    if (requestId) page.postMessage({ type: 'show-offer', requestId });
    return page.focus();
  }
  return self.clients.openWindow(url);
}

/** A tap on a notification or one of its buttons ('claim', 'view', '' for the body). */
function handleNotificationClick(notification, action) {
  const data = notification.data ?? {};
  notification.close();
  if (data.kind === 'offer' && action === 'claim') return claimFromNotification(data.requestId);
  if (data.requestId) return openOffer(data.url ?? '/volunteer', data.requestId);
  return self.clients.matchAll({ type: 'window' }).then(windows =>
    windows.length > 0 ? windows[0].focus() : self.clients.openWindow('/volunteer'));
}

self.addEventListener('notificationclick', event => {
  event.waitUntil(handleNotificationClick(event.notification, event.action));
});
