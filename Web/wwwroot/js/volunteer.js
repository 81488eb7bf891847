// The volunteer's page (issue #5): on/off duty with the position kept up to date, live offers over the hub,
// one-tap claim, and the assigned requests from En route to Done. Phone first; all text from the tables.
// Issue #13: notifications by Web Push while on duty (volunteer-push.js, sw.js), `?offer={id}` shows that offer,
// and every live offer is acknowledged to the server (the delivery record's "seen").
import { api, ApiError, errorText, viaLive } from '/js/api.js';
import { $, el, replace, show } from '/js/dom.js';
import { renderHeader } from '/js/header.js';
import { addTranslations, applyTranslations, getLanguage, maybeT, onLanguageChange, t } from '/js/i18n.js';
import { connectLive } from '/js/live.js';
import { createMap, dotMarker, DEFAULT_CENTER } from '/js/map.js';
import { alertNewOffer, unlockAudio } from '/js/volunteer-alert.js';
import { createAssignmentList } from '/js/volunteer-assignments.js';
import { distance, minutes, timeOfDay } from '/js/format.js';
import { createTracker } from '/js/volunteer-geo.js';
import { createHours } from '/js/volunteer-hours.js';
import { createOfferList } from '/js/volunteer-offers.js';
import { alreadySeen, createPush, noteSeen, rememberLanguage } from '/js/volunteer-push.js';
import table from '/i18n/volunteer.js';

addTranslations(table);
applyTranslations(document);

// ---- Notifications (Web Push): offered while on duty; once logged out, this browser unsubscribes.
const push = createPush({ onChange: renderPush });
const header = await renderHeader($('#app-header'), {
  titleKey: 'volunteer.title',
  logoutBody: async () => ({ pushEndpoint: await push.endpointHere() }),
  afterLogout: () => push.unsubscribeHere(),
});
let volunteer = await api('GET', '/api/volunteers/me');

// ---- Messages: short notes (withdrawn offers, claim results); kept as keys so a language switch re-renders them.
const messages = [];
const MESSAGE_MS = 15_000;

function say(kind, key, params, text) {
  const message = { kind, key, params, text };
  messages.push(message);
  if (messages.length > 4) messages.shift();
  renderMessages();
  setTimeout(() => {
    const index = messages.indexOf(message);
    if (index >= 0) messages.splice(index, 1);
    renderMessages();
  }, MESSAGE_MS);
}

function renderMessages() {
  replace($('#messages'), messages.map(m =>
    el('p', { class: [m.kind === 'error' ? 'error' : 'notice', 'message', m.key && `message-${m.key.replaceAll('.', '-')}`] },
      m.key ? t(m.key, m.params) : m.text)));
}

// ---- Offers and assignments.
const offers = createOfferList({
  list: $('#offers-list'), count: $('#offers-count'), empty: $('#offers-empty'), onClaim: claim,
});
const hours = createHours({
  totals: $('#hours-totals'), list: $('#hours-list'), empty: $('#hours-empty'),
  monthLink: $('#hours-certificate-month'), yearLink: $('#hours-certificate-year'),
});
const assignments = createAssignmentList({
  section: $('#assignments'), list: $('#assignments-list'), volunteerId: volunteer.id,
  onGone: (request, why) => {
    say(why === 'completed' ? 'notice' : 'error', `volunteer.done.${why}`);
    if (why === 'completed') hours.refresh();
  },
});
hours.refresh();

/** requestId -> when the hub said it was withdrawn; a snapshot fetched before that must not bring it back. */
const withdrawnAt = new Map();

async function claim(requestId) {
  unlockAudio();
  offers.setBusy(requestId, true);
  try {
    // A claim is decided by the request grain once: repeating it after a 503 cannot claim twice. On the live connection
    // when it is up (no new HTTP request while fifty phones race), else over the API.
    const request = await viaLive(live?.connection, 'Claim', [requestId],
      () => api('POST', `/api/requests/${requestId}/claim`, undefined, { retries: 3 }));
    offers.remove(requestId);
    assignments.apply(request);
    say('notice', 'volunteer.claim.success');
    document.querySelector(`.assignment[data-request-id="${requestId}"]`)?.scrollIntoView({ behavior: 'smooth', block: 'start' });
  } catch (error) {
    const outcome = error instanceof ApiError ? error.problem?.outcome : undefined;
    if (outcome === 'AlreadyTaken') {
      offers.remove(requestId);
      say('error', 'volunteer.claim.taken');
    } else if (error instanceof ApiError && (outcome === 'NotOpen' || error.status === 403 || error.status === 404)) {
      offers.remove(requestId);
      say('error', null, null, errorText(error));
    } else {
      offers.setBusy(requestId, false);
      say('error', null, null, errorText(error));
    }
  }
}

/** A live offer (the hub): shown, alerted once, and acknowledged (this device showed it). */
function onOffer(offer) {
  if (!GUID.test(offer.requestId ?? '')) return;
  // On the connection the offer came by (one message, no HTTP request per offer); the API when it is down.
  viaLive(live?.connection, 'Seen', [offer.requestId, 'socket'],
    () => api('POST', `/api/volunteers/me/offers/${offer.requestId}/seen?channel=socket`, undefined, { redirectOn401: false }))
    .catch(() => {});
  showOffer(offer);
}

async function showOffer(offer) {
  if (assignments.has(offer.requestId)) return;
  withdrawnAt.delete(offer.requestId);
  if (!offers.upsert(offer)) return;
  // In the background, a notification the service worker already showed for its push is alert enough.
  const seen = document.hidden && await alreadySeen(offer.requestId);
  noteSeen(offer.requestId);
  if (seen) return;
  const category = t(`category.${offer.category}`);
  alertNewOffer({
    title: t('volunteer.offer.newTitle', { category }),
    body: t('volunteer.offer.newBody', {
      urgency: t(`urgency.${offer.urgency}`), eta: minutes(offer.etaMinutes, { whole: true }), distance: distance(offer.distanceM, { roundTo: 10 }),
    }),
    tag: offer.requestId,
  });
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Scrolls to and marks the offer (or the job) a notification or link was about; says so when it is gone. */
function focusOffer(requestId) {
  if (!GUID.test(requestId ?? '')) return;
  const card = document.querySelector(`.offer[data-request-id="${requestId}"]`)
    ?? document.querySelector(`.assignment[data-request-id="${requestId}"]`);
  for (const marked of document.querySelectorAll('.offer-highlight')) marked.classList.remove('offer-highlight');
  if (!card) {
    say('error', 'volunteer.offer.notOpen');
    return;
  }
  card.classList.add('offer-highlight');
  card.scrollIntoView({ behavior: 'smooth', block: 'center' });
}

/** The offer a notification's 查看 (or a robot's or SMS link) opened the page on: shown once the offers are loaded. */
let linkedOffer = new URLSearchParams(location.search).get('offer');
if (linkedOffer) history.replaceState(null, '', '/volunteer');

function onOfferWithdrawn({ requestId, reason }) {
  withdrawnAt.set(requestId, Date.now());
  navigator.serviceWorker?.ready
    .then(registration => registration.getNotifications({ tag: requestId }))
    .then(shown => shown.filter(n => n.data?.kind !== 'result').forEach(n => n.close()))
    .catch(() => {});
  // A reason code (WithdrawalReasons in C#, each with its words: WithdrawalReasonsTests) is said in its own words, any other as 'other'.
  const words = `volunteer.withdrawn.${reason}`;
  if (offers.remove(requestId)) say('error', maybeT(words) !== undefined ? words : 'volunteer.withdrawn.other');
}

function onRequestUpdated({ request }) {
  if (!request?.id) return;
  if (request.assignedVolunteerId === volunteer.id) offers.remove(request.id);
  assignments.apply(request);
}

/** The live connection (set once it is made, below). @type {ReturnType<typeof connectLive> | null} */
let live = null;

/**
 * The volunteer's record, open offers and current jobs: one answer on the live connection when it is up (the hub's
 * Resync: a web node restart makes every phone ask at once), else the three API reads.
 * @returns {Promise<{ volunteer: any, offers: any[], assignments: any[] }>}
 */
async function readWork() {
  if (live?.connection.state === 'Connected') {
    try {
      return await live.connection.invoke('Resync');
    } catch {
      // The connection dropped while asking: the API answers the same.
    }
  }
  const [me, open, mine] = await Promise.all([
    api('GET', '/api/volunteers/me'),
    api('GET', '/api/volunteers/me/offers'),
    api('GET', '/api/volunteers/me/assignments'),
  ]);
  return { volunteer: me, offers: open, assignments: mine };
}

let resyncRetry;
/** Reloads duty, offers and assignments (after every (re)connect, and when the page shows again). */
async function resync() {
  clearTimeout(resyncRetry);
  const startedAt = Date.now();
  try {
    const { volunteer: me, offers: open, assignments: mine } = await readWork();
    volunteer = me;
    renderDuty();
    hours.refresh();
    assignments.set(mine);
    offers.set(open.filter(o => !assignments.has(o.requestId) && !((withdrawnAt.get(o.requestId) ?? 0) >= startedAt)));
    if (linkedOffer) {
      focusOffer(linkedOffer);
      linkedOffer = null;
    }
  } catch {
    // The server is not back yet: try again shortly (the connection badge already says what is going on).
    resyncRetry = setTimeout(resync, 3_000);
  }
}

// ---- Duty and position.
let positionMap = null;
let positionMarker = null;
let geoReason = null; // why the page asks for a position on the map: 'denied' | 'unavailable' | 'unsupported'
let lastSentAt = null;
let dutyBusy = false;
let smsBusy = false;

const tracker = createTracker({
  send: position => viaLive(live?.connection, 'ReportPosition', [position],
    () => api('POST', '/api/volunteers/me/position', position)).then(v => { volunteer = v; }),
  onMode: mode => {
    if (mode === 'denied' || mode === 'unavailable' || mode === 'unsupported') geoReason = mode;
    if (mode === 'auto') geoReason = null;
    renderDuty();
  },
  onSent: (position, at) => {
    lastSentAt = at;
    renderDuty();
  },
});

const manualMode = () => ['denied', 'unavailable', 'unsupported', 'manual'].includes(tracker.mode);

function currentPosition() {
  const p = tracker.latest ?? volunteer.lastPosition?.position;
  return p ? { lat: p.lat, lon: p.lon } : null;
}

async function showPositionMap() {
  const box = $('#position-map');
  const here = currentPosition();
  if (!positionMap) {
    positionMap = await createMap(box, { center: here ? [here.lat, here.lon] : DEFAULT_CENTER, zoom: here ? 15 : 13 });
    positionMap.on('click', event => {
      if (!manualMode()) return;
      const picked = { lat: event.latlng.lat, lon: event.latlng.lng };
      placeMarker(picked);
      tracker.setManual(picked);
    });
  }
  positionMap.invalidateSize();
  if (here) placeMarker(here);
}

function placeMarker(position) {
  if (!positionMap) return;
  positionMarker?.remove();
  positionMarker = dotMarker([position.lat, position.lon], { color: '#1f6feb', radius: 9, title: t('volunteer.geo.mapLabel') })
    .addTo(positionMap);
}

function setText(node, key, params) {
  node.dataset.i18n = key;
  if (params) node.dataset.i18nParams = JSON.stringify(params);
  else delete node.dataset.i18nParams;
  node.textContent = t(key, params);
}

function renderDuty() {
  const onDuty = Boolean(volunteer.onDuty);
  const state = $('#duty-state');
  state.dataset.state = onDuty ? 'on' : 'off';
  setText(state, onDuty ? 'volunteer.duty.on' : 'volunteer.duty.off');
  const toggle = $('#duty-toggle');
  toggle.disabled = dutyBusy;
  toggle.setAttribute('aria-checked', String(onDuty));
  toggle.classList.toggle('primary', !onDuty);
  setText(toggle, onDuty ? 'volunteer.duty.goOff' : 'volunteer.duty.goOn');
  const hint = $('#duty-hint');
  show(hint, !onDuty);
  setText(hint, volunteer.active === false ? 'volunteer.duty.inactive' : 'volunteer.duty.offHint');

  const note = $('#geo-note');
  const reason = onDuty && (geoReason ?? (tracker.mode === 'locating' ? 'locating' : tracker.mode === 'auto' ? 'auto' : null));
  show(note, Boolean(reason));
  if (reason) {
    setText(note, `volunteer.geo.${reason}`);
    note.className = ['denied', 'unavailable', 'unsupported'].includes(reason) ? 'geo-note notice' : 'geo-note muted';
  }
  const sent = $('#geo-sent');
  show(sent, onDuty && Boolean(lastSentAt));
  if (lastSentAt) setText(sent, tracker.mode === 'manual' ? 'volunteer.geo.manualSet' : 'volunteer.geo.sent', { time: timeOfDay(lastSentAt) });

  show($('#position-box'), onDuty);
  show($('#position-hint'), onDuty && manualMode());
  $('#position-box').classList.toggle('picking', onDuty && manualMode());
  if (onDuty) showPositionMap().catch(() => {});
  offers.setOnDuty(onDuty);
  const sms = $('#sms-offers');
  sms.checked = Boolean(volunteer.smsOffers);
  sms.disabled = smsBusy;
  renderPush();
}

function renderPush() {
  const banner = $('#push-banner');
  if (!banner) return;
  const state = push?.state ?? 'unsupported';
  const visible = Boolean(volunteer?.onDuty) && ['off', 'busy', 'denied', 'failed'].includes(state);
  show(banner, visible);
  if (!visible) return;
  banner.className = `push-banner push-${state}`;
  setText($('#push-text'), `volunteer.push.${state === 'off' ? 'offer' : state}`);
  const button = $('#push-enable');
  show(button, state !== 'denied');
  button.disabled = state === 'busy';
  setText(button, state === 'failed' ? 'volunteer.push.retry' : 'volunteer.push.enable');
}

/** Emergency offers by SMS when no device showed them in time (no smartphone, or as a fallback). */
async function toggleSmsOffers() {
  smsBusy = true;
  renderDuty();
  try {
    volunteer = await api('PUT', '/api/volunteers/me/sms-offers', { enabled: $('#sms-offers').checked }, { retries: 3 });
  } catch (error) {
    say('error', null, null, errorText(error));
  } finally {
    smsBusy = false;
    renderDuty();
  }
}

async function toggleDuty() {
  unlockAudio();
  const goOn = !volunteer.onDuty;
  dutyBusy = true;
  renderDuty();
  try {
    if (goOn) tracker.start();
    volunteer = await api('POST', '/api/volunteers/me/duty', { onDuty: goOn }, { retries: 3 });
    if (!volunteer.onDuty) tracker.stop();
    push.refresh(volunteer.onDuty);
  } catch (error) {
    say('error', null, null, errorText(error));
    try { volunteer = await api('GET', '/api/volunteers/me'); } catch { /* keep what we had */ }
    if (!volunteer.onDuty) tracker.stop();
  } finally {
    dutyBusy = false;
    renderDuty();
  }
  resync();
}

$('#duty-toggle').addEventListener('click', toggleDuty);
$('#sms-offers').addEventListener('change', toggleSmsOffers);
$('#push-enable').addEventListener('click', () => {
  unlockAudio();
  push.enable();
});
if (volunteer.onDuty) tracker.start();
renderDuty();

// ---- Live connection: the header's badge shows the state; every (re)connect reloads from the API.
// ---- The families paired with this volunteer (一对一结对): by name only, no phone or address until a request.
async function renderPaired() {
  try {
    /** @type {{ id: string, workerName: string, posting: string | null }[]} */
    const families = await api('GET', '/api/volunteers/me/paired-families');
    replace($('#paired-list'), families.map(f =>
      el('li', { dataset: { familyId: f.id } }, el('strong', {}, f.workerName), f.posting ? ` · ${f.posting}` : '')));
    show($('#paired'), families.length > 0);
  } catch {
    show($('#paired'), false); // the list is a convenience: the offers work without it
  }
}
renderPaired();

live = connectLive({
  on: { offer: onOffer, offerWithdrawn: onOfferWithdrawn, requestUpdated: onRequestUpdated },
  onState: header.setConnection,
  onResync: resync,
});

document.addEventListener('visibilitychange', () => {
  if (!document.hidden) resync();
});
setInterval(() => offers.tick(), 30_000);
rememberLanguage(getLanguage());
onLanguageChange(() => {
  rememberLanguage(getLanguage());
  offers.rerender();
  assignments.rerender();
  hours.rerender();
  renderDuty();
  renderMessages();
});

// The installable app: the service worker caches the page shell (never API answers).
// It also shows pushes: it tells this page of those that arrive while the page is open.
if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register('/sw.js')
    .then(() => push.refresh(volunteer.onDuty))
    .catch(() => {});
  navigator.serviceWorker.addEventListener('message', event => {
    const message = event.data ?? {};
    if (message.type === 'push-offer' && message.offer) showOffer(message.offer);
    else if (message.type === 'push-withdrawn') onOfferWithdrawn(message);
    else if (message.type === 'show-offer') focusOffer(message.requestId);
    else if (message.type === 'push-claimed') resync();
  });
}
