// The care visits of today and tomorrow (care plans, issue #16) under the queue: GET /api/care-plans/upcoming, each
// visit's time (China), family, category, preferred helper and where its request stands; "without a helper only"
// asks the API for unassigned=true. A visit already made into a request opens it in the details panel, as the queue does.
import { api, errorText } from '/js/api.js';
import { el, replace, show } from '/js/dom.js';
import { t } from '/js/i18n.js';
import { occurrenceWords } from '/js/care.js';

/** @typedef {import('../../types/api').UpcomingCare} UpcomingCare */

/**
 * @param {HTMLElement} container
 * @param {{ onSelect: (selection: { kind: 'request', id: string }) => void }} options
 */
export function createCareUpcoming(container, { onSelect }) {
  const unassigned = /** @type {HTMLInputElement} */ (el('input', { type: 'checkbox', id: 'care-unassigned' }));
  // A heading under the queue's own (h2): the desk's tests and readers find the queue's title as the column's h2.
  const title = el('h3', { class: 'co-care-title' });
  const filterText = el('span', {});
  const count = el('span', { class: 'muted', id: 'care-count' });
  const list = el('ol', { class: 'co-care-list', id: 'care-list' });
  const empty = el('p', { class: 'muted', id: 'care-empty', hidden: true });
  const error = el('p', { class: 'field-error', id: 'care-error', role: 'alert', hidden: true });
  replace(container,
    el('div', { class: 'co-care-head' }, title, count),
    el('label', { class: 'co-care-filter' }, unassigned, ' ', filterText),
    error, list, empty);
  /** @type {UpcomingCare[] | null} */
  let visits = null;
  let generation = 0;
  let pending = null;

  unassigned.addEventListener('change', () => load());

  async function load() {
    const mine = ++generation;
    try {
      const answer = await api('GET', `/api/care-plans/upcoming${unassigned.checked ? '?unassigned=true' : ''}`);
      if (mine !== generation) return;
      visits = answer;
      show(error, false);
      render();
      container.dataset.loaded = String(mine);
    } catch (failure) {
      if (mine !== generation) return;
      error.textContent = errorText(failure);
      show(error);
    }
  }

  /** Loads again soon: many request changes in a burst make one read. */
  function loadSoon() {
    clearTimeout(pending);
    pending = setTimeout(load, 2000);
  }

  /** @param {UpcomingCare} visit */
  function row(visit) {
    const made = visit.requestStatus != null;
    const open = () => onSelect({ kind: 'request', id: visit.requestId });
    return el('li', {
      class: ['co-care-item', made && 'made', visit.hasHelper ? 'helped' : 'unhelped'],
      dataset: { requestId: visit.requestId, planId: visit.planId, hasHelper: String(visit.hasHelper), status: visit.requestStatus ?? '' },
      tabindex: made ? 0 : null,
      role: made ? 'button' : null,
      onclick: made ? open : null,
      onkeydown: made ? (/** @type {KeyboardEvent} */ e) => { if (e.key === 'Enter') open(); } : null,
    },
    el('div', { class: 'co-q-top' },
      el('span', { class: 'co-care-when' }, occurrenceWords(visit)),
      el('strong', { class: 'co-care-family' }, visit.workerName),
      el('span', {}, t(`category.${visit.category}`))),
    el('div', { class: 'co-q-top' },
      made
        ? el('span', { class: ['chip', 'status', `status-${visit.requestStatus}`] }, t(`status.${visit.requestStatus}`))
        : el('span', { class: 'chip co-care-notmade' }, t('care.notMade')),
      visit.assignedVolunteerName
        ? el('span', { class: 'co-care-assignee' }, t('coordinator.care.assignee', { name: visit.assignedVolunteerName }))
        : el('span', { class: 'co-care-nohelper' }, t('coordinator.care.noHelper')),
      visit.preferredVolunteerName && el('span', { class: 'muted co-care-preferred' },
        t('coordinator.care.preferred', { name: visit.preferredVolunteerName }))));
  }

  function render() {
    title.textContent = t('coordinator.care.title');
    filterText.textContent = t('coordinator.care.unassignedOnly');
    if (!visits) return;
    replace(list, visits.map(row));
    count.textContent = t('coordinator.care.count', { n: visits.length });
    empty.textContent = t(unassigned.checked ? 'coordinator.care.emptyUnassigned' : 'coordinator.care.empty');
    show(empty, visits.length === 0);
  }

  render();
  load();
  setInterval(load, 60_000);
  return { load, loadSoon, rerender: render };
}
