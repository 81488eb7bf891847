// The coordinator's desk: the live map and queue (snapshot + hub events), the selected item's details and
// actions, the figures and the rosters. Tabs: #live (default), #figures, #rosters, and #accounts and #audit for administrators.
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
  if (selection?.kind === 'request' && store.requests.get(selection.id)) liveMap?.focus(store.requests.get(selection.id).position);
}

const queue = createQueue(store, { onSelect: select });
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
liveMap = await createLiveMap(document.getElementById('map'), store, { onSelect: select });

let live;
// Events that arrive while the snapshot loads wait, then those newer than the snapshot are applied on top.
let buffered = null;
const apply = (kind, event) => (kind === 'request' ? store.applyRequest(event.request) : store.applyVolunteer(event));
const receive = kind => event => (buffered ? buffered.push([kind, event]) : apply(kind, event));

async function loadSnapshot() {
  buffered = [];
  try {
    const snapshot = await api('GET', '/api/map/snapshot');
    store.load(snapshot);
    live?.ignoreThrough(snapshot.seq);
    for (const [kind, event] of buffered) if (event.seq > snapshot.seq) apply(kind, event);
    document.body.dataset.snapshotSeq = String(snapshot.seq);
  } finally {
    buffered = null;
  }
}

live = connectLive({
  on: {
    requestUpdated: receive('request'),
    volunteerMoved: receive('volunteer'),
    volunteerDuty: receive('volunteer'),
  },
  onState: state => { header.setConnection(state); document.body.dataset.live = state; },
  onResync: loadSnapshot,
});

onLanguageChange(() => {
  queue.render();
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
