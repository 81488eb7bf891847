// The hotline operator's console: find the family by the caller's number, take a request in seconds, watch
// this operator's requests live, make follow-up calls, keep the family files. Each part is its own module.
import { renderHeader } from '/js/header.js';
import { addTranslations, applyTranslations, onLanguageChange } from '/js/i18n.js';
import { connectLive } from '/js/live.js';
import { createFiles } from '/js/operator-files.js';
import { createFollowUps } from '/js/operator-followups.js';
import { createIntake } from '/js/operator-intake.js';
import { createLiveStatus } from '/js/operator-live.js';
import { createLookup } from '/js/operator-lookup.js';
import table from '/i18n/operator.js';

addTranslations(table);
applyTranslations(document);

const header = await renderHeader(document.getElementById('app-header'), { titleKey: 'operator.title' });

const tabs = [.../** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll('[role=tab]'))];
const followUpCount = document.getElementById('followup-count');

const live = createLiveStatus(document.getElementById('live-panel'));
const intake = await createIntake(document.getElementById('intake-panel'), {
  onSubmitted: created => {
    live.load(created.id).catch(() => live.resync());
    lookup.refreshHistory();
  },
});
const lookup = createLookup(document.getElementById('lookup-panel'), {
  onFamily: (file, phone) => {
    intake.setFamily(file, phone);
    if (file) intake.focusCategory();
  },
});
const followUps = createFollowUps(document.getElementById('view-followups'), {
  onReopened: request => live.apply(request),
  onCount: n => { followUpCount.textContent = n ? String(n) : ''; },
});
const files = createFiles(document.getElementById('view-files'), {
  onUse: file => {
    select('call');
    lookup.open(file, file.workerPhone ?? file.familyMembers.find(m => m.phone)?.phone ?? '');
  },
});

function select(name) {
  for (const tab of tabs) {
    const chosen = tab.dataset.view === name;
    tab.setAttribute('aria-selected', String(chosen));
    tab.tabIndex = chosen ? 0 : -1;
    document.getElementById(`view-${tab.dataset.view}`).hidden = !chosen;
  }
  if (name === 'call') intake.invalidateSize();
  if (name === 'followups') followUps.reload();
  if (name === 'files') files.reload();
}

for (const tab of tabs) {
  tab.addEventListener('click', () => select(tab.dataset.view));
  tab.addEventListener('keydown', /** @param {KeyboardEvent} event */ event => {
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    const next = tabs[(tabs.indexOf(tab) + step + tabs.length) % tabs.length];
    next.focus();
    select(next.dataset.view);
  });
}

let followUpTimer = null;
let historyTimer = null;
connectLive({
  on: {
    requestUpdated: event => {
      live.apply(event.request);
      if (event.request?.workerId && event.request.workerId === lookup.fileId) {
        clearTimeout(historyTimer);
        historyTimer = setTimeout(() => lookup.refreshHistory(), 300);
      }
      if (event.request?.status === 'Completed' || event.request?.followUp) {
        clearTimeout(followUpTimer);
        followUpTimer = setTimeout(() => followUps.reload(), 300);
      }
    },
  },
  onState: header.setConnection,
  onResync: async () => {
    await Promise.all([live.resync(), followUps.reload()]);
  },
});

onLanguageChange(() => {
  live.render();
  followUps.reload();
});

document.body.dataset.ready = 'true';
