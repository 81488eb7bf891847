// The coordinator's desk: the live map and queue (snapshot + hub events), today's and tomorrow's care visits, the
// selected item's details and actions, the figures and the rosters. Tabs: #live (default), #figures, #rosters, and #accounts and #audit for administrators.
import { api } from '/js/api.js';
import { renderHeader } from '/js/header.js';
import { addTranslations, applyTranslations, onLanguageChange } from '/js/i18n.js';
import { connectLive } from '/js/live.js';
import table from '/i18n/coordinator.js';
import { createStore } from '/js/coordinator-store.js';
import { createLiveMap } from '/js/coordinator-map.js';
import { createQueue } from '/js/coordinator-queue.js';
import { createDetail } from '/js/coordinator-actions.js';
import { createFigures } from '/js/coordinator-figures.js';
import { createRosters } from '/js/coordinator-rosters.js';
import { createAccounts } from '/js/coordinator-accounts.js';
import { createAudit } from '/js/coordinator-audit.js';
import { createHours } from '/js/coordinator-hours.js';
import { createCareUpcoming } from '/js/coordinator-care.js';

addTranslations(table);
applyTranslations(document);

const header = await renderHeader(document.getElementById('app-header'), { titleKey: 'coordinator.title' });
const store = createStore();
const detail = createDetail(store);
let liveMap = null;

function select(selection) {
  detail.show(selection);
  const id = selection?.kind === 'request' ? selection.id : null;
  queue.select(id);
  liveMap?.select(id);
  if (selection?.kind === 'request' && store.requests.get(selection.id)) liveMap?.focus(store.requests.get(selection.id).position, selection.id);
}

const queue = createQueue(store, { onSelect: select });
// Today's and tomorrow's care visits: read with every snapshot, shortly after request changes, and every minute.
const care = createCareUpcoming(document.getElementById('care-upcoming'), { onSelect: select });
store.subscribe(kind => {
  if (kind === 'reset') care.load();
  else if (kind === 'request') care.loadSoon();
});
const figures = createFigures(document.getElementById('tab-figures'));
const rosters = createRosters(document.getElementById('tab-rosters'));
const hours = createHours(document.getElementById('tab-hours'));
const isAdmin = header.me.roles.includes('admin');
const accounts = isAdmin ? createAccounts(document.getElementById('tab-accounts')) : null;
/** @type {HTMLElement} */ (document.querySelector('.co-tab[data-tab=accounts]')).hidden = !isAdmin;
const audit = isAdmin ? createAudit(document.getElementById('tab-audit')) : null;
/** @type {HTMLElement} */ (document.querySelector('.co-tab[data-tab=audit]')).hidden = !isAdmin;
store.subscribe((kind, item) => detail.refresh(kind, item));

// --- Tabs ---
const tabs = [.../** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll('.co-tab'))];
function showTab(name) {
  const chosen = ['live', 'figures', 'rosters', 'hours', ...(isAdmin ? ['accounts', 'audit'] : [])].includes(name) ? name : 'live';
  for (const tab of tabs) tab.setAttribute('aria-selected', String(tab.dataset.tab === chosen));
  for (const panel of /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll('[data-panel]'))) panel.hidden = panel.dataset.panel !== chosen;
  if (chosen === 'figures') figures.load();
  if (chosen === 'rosters') rosters.load();
  if (chosen === 'hours') hours.load();
  if (chosen === 'accounts') accounts.load();
  if (chosen === 'audit') audit.load();
  if (chosen === 'live') liveMap?.map.invalidateSize();
}
for (const tab of tabs) tab.addEventListener('click', () => { history.replaceState(null, '', `#${tab.dataset.tab}`); showTab(tab.dataset.tab); });
window.addEventListener('hashchange', () => showTab(location.hash.slice(1)));

// --- The map, then the live connection: snapshot first, then events newer than it ---
liveMap = await createLiveMap(document.getElementById('map'), store, { onSelect: select, onView: () => loadView() });

let live;
// Events that arrive while the snapshot (or the view) loads wait, then those newer than it are applied on top.
let buffered = null;
let bufferedMoves = null;
const apply = (kind, event) => (kind === 'request' ? store.applyRequest(event.request) : store.applyVolunteer(event));
const receive = kind => event => (buffered ? buffered.push([kind, event]) : apply(kind, event));

async function loadSnapshot() {
  buffered = [];
  try {
    // Every open request, a page at a time (none is cut however many there are); the first page's seq counts.
    const first = await api('GET', '/api/map/snapshot');
    const requests = [...first.requests];
    for (let next = first.next; next;) {
      const page = await api('GET', `/api/map/snapshot?after=${encodeURIComponent(next)}`);
      requests.push(...page.requests);
      next = page.next;
    }
    store.load({ stations: first.stations, requests });
    live?.ignoreThrough(first.seq);
    for (const [kind, event] of buffered) if (event.seq > first.seq) apply(kind, event);
    document.body.dataset.snapshotSeq = String(first.seq);
  } finally {
    buffered = null;
  }
  await loadView();
}

// The volunteers of the map's view: asked on every settled pan or zoom, after a resync, when someone goes on or off
// duty in a clustered view, and every 15 s while it shows clusters. The hub is told the view first, so no move of it
// is missed between the answer and the watch; moves older than the answer are dropped.
let viewing = 0;
let clusteredRefresh = null;
async function loadView() {
  if (!live || live.state !== 'connected') return;
  const mine = ++viewing;
  const v = liveMap.view();
  bufferedMoves = [];
  try {
    await live.connection.invoke('WatchMap', v.south, v.west, v.north, v.east, 'markers');
    const answer = await api('GET', `/api/map/view?south=${v.south}&west=${v.west}&north=${v.north}&east=${v.east}&zoom=${v.zoom}`);
    if (mine !== viewing) return;
    if (answer.mode !== 'markers') await live.connection.invoke('WatchMap', v.south, v.west, v.north, v.east, answer.mode);
    store.loadView(answer);
    for (const event of bufferedMoves) if (event.seq > answer.seq) for (const moved of event.volunteers) store.applyVolunteer(moved);
    document.body.dataset.mapMode = answer.mode;
    document.body.dataset.mapSeq = String(answer.seq);
    clearTimeout(clusteredRefresh);
    if (answer.mode === 'clusters') clusteredRefresh = setTimeout(() => loadView(), 15_000);
  } catch (error) {
    console.error('map view', error);
  } finally {
    if (mine === viewing) bufferedMoves = null;
  }
}

let dutyRefresh = null;
function onDuty(event) {
  if (store.view?.mode === 'clusters') {
    clearTimeout(dutyRefresh);
    dutyRefresh = setTimeout(() => loadView(), 1000);
  }
  receive('volunteer')(event);
}

function onMoves(event) {
  if (bufferedMoves) { bufferedMoves.push(event); return; }
  for (const moved of event.volunteers) store.applyVolunteer(moved);
}

// The requests' changes come once a second, each request's newest view (requestsUpdated); a request this account
// created also comes at once (requestUpdated), and an action's own answer is applied when it comes.
const receiveRequests = event => { for (const request of event.requests ?? []) receive('request')({ seq: event.seq, request }); };

live = connectLive({
  on: {
    requestUpdated: receive('request'),
    requestsUpdated: receiveRequests,
    volunteerDuty: onDuty,
    volunteersMoved: onMoves,
  },
  onState: state => { header.setConnection(state); document.body.dataset.live = state; },
  onResync: loadSnapshot,
});

onLanguageChange(() => {
  queue.render();
  care.rerender();
  detail.rerender();
  figures.rerender();
  rosters.rerender();
  hours.rerender();
  accounts?.rerender();
  audit?.rerender();
  liveMap.redrawLegend();
});

showTab(location.hash.slice(1));
// The figures follow the day while their tab is open.
setInterval(() => { if (!document.getElementById('tab-figures').hidden) figures.load(); }, 30_000);
await live.started;
document.body.dataset.ready = 'true';
