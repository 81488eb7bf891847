// Live status of the requests this operator took: loaded from GET /api/requests?status=all&mine=true (and the
// full view of the newest ones) on load and on every live (re)connect, then kept current by requestUpdated
// events, keyed by id and compared by version — offered to how many, claimed by whom, ETA, en route, on site,
// done. Open requests can be cancelled with a reason. Each request's timeline (处理记录) opens on demand and
// is fetched again when the request changes while it is open.
import { api, errorText } from '/js/api.js';
import { el, replace, show } from '/js/dom.js';
import { t } from '/js/i18n.js';
import { isComing, isOpen, PATH } from '/js/lifecycle.js';
import { timeOfDay } from '/js/format.js';
import { check, clearErrors, field, input, showErrors, showProblem, tx } from '/js/operator-forms.js';
import { describeTimeline, timelineActor } from '/js/timeline.js';

const DETAILED = 30;

export function createLiveStatus(root) {
  const requests = new Map();
  const timelines = new Map(); // id -> { open, version, entries, error }
  const list = el('ul', { class: 'op-live-list', id: 'live-list', 'aria-live': 'polite' });
  const error = el('p', { class: 'error', id: 'live-error', hidden: true });
  replace(root, el('section', { class: 'card op-live' }, tx('h2', 'operator.live.heading'), error, list));

  /** Keeps request (a full view or a ledger row) unless a newer version is already known. */
  function keep(request) {
    const known = requests.get(request.id);
    if (known && known.version > request.version) return false;
    if (known && known.version === request.version && known.address !== undefined) return false;
    requests.set(request.id, request);
    return true;
  }

  function render() {
    const sorted = [...requests.values()].sort((a, b) => String(b.createdAt).localeCompare(String(a.createdAt)));
    replace(list, sorted.length ? sorted.map(item) : tx('li', 'operator.live.empty', undefined, { class: 'muted' }));
  }

  function item(r) {
    const li = el('li', { class: ['op-req', `op-req-${r.status}`], dataset: { id: r.id, status: r.status, version: String(r.version) } },
      el('div', { class: 'row op-req-head' },
        tx('span', `status.${r.status}`, undefined, { class: `chip op-status status-${r.status}` }),
        tx('span', `category.${r.category}`, undefined, { class: 'chip' }),
        tx('span', `urgency.${r.urgency}`, undefined, { class: `chip urgency-${r.urgency}` }),
        r.escalated && tx('span', 'operator.live.escalated', undefined, { class: 'chip op-escalated' }),
        tx('span', 'operator.live.created', { time: timeOfDay(r.createdAt) }, { class: 'muted op-req-time' })),
      r.address && el('div', { class: 'op-req-address' }, r.address),
      steps(r.status),
      el('div', { class: 'op-req-facts' },
        r.status === 'Offered' && tx('span', 'operator.live.offeredTo', { n: r.offeredCount }, { class: 'op-offered' }),
        r.assignedVolunteerName && isOpen(r.status) &&
          tx('span', 'operator.live.claimedBy', { name: r.assignedVolunteerName }, { class: 'op-volunteer' }),
        r.assignedEtaMinutes != null && isComing(r.status) &&
          tx('span', 'operator.live.eta', { n: Math.max(1, Math.round(r.assignedEtaMinutes)) }, { class: 'op-eta' }),
        r.followUp && tx('span', 'operator.live.followUp', {
          result: t(r.followUp.satisfied ? 'operator.live.satisfied' : 'operator.live.notSatisfied'), rating: r.followUp.rating,
        })));
    li.append(timelinePart(r));
    if (isOpen(r.status)) li.append(cancelPart(r));
    return li;
  }

  function timelinePart(r) {
    const state = timelines.get(r.id) ?? { open: false, version: null, entries: null, error: null };
    timelines.set(r.id, state);
    const entryList = el('ol', { class: 'op-timeline' },
      state.error ? el('li', { class: 'error' }, state.error)
        : state.entries === null ? tx('li', 'operator.live.timelineLoading', undefined, { class: 'muted' })
        : state.entries.map(entry => {
          const { text, words, forced } = describeTimeline(entry);
          return el('li', {},
            el('span', { class: 'muted op-timeline-when' }, timeOfDay(entry.at)), ' ',
            tx('strong', `status.${entry.to}`), ' ', timelineActor(entry),
            text && el('div', {}, text),
            words && el('div', { class: 'op-timeline-words' }, words),
            forced.length > 0 && el('div', { class: 'muted' }, forced.join('；')));
        }));
    const details = el('details', { class: 'op-req-timeline', open: state.open },
      tx('summary', 'operator.live.timeline'), entryList);
    details.addEventListener('toggle', () => {
      state.open = details.open;
      if (state.open && state.version !== r.version) refreshTimeline(r);
    });
    if (state.open && state.version !== r.version) refreshTimeline(r);
    return details;
  }

  /** Fetches the timeline of r (once per version), then shows it wherever the request is drawn now. */
  async function refreshTimeline(r) {
    const state = timelines.get(r.id);
    state.version = r.version;
    try {
      state.entries = await api('GET', `/api/requests/${r.id}/timeline`);
      state.error = null;
    } catch (failure) {
      state.error = errorText(failure);
    }
    render();
  }

  function steps(status) {
    const at = PATH.indexOf(status);
    if (status === 'Cancelled') return null;
    return el('ol', { class: 'op-steps' }, PATH.map((s, i) =>
      tx('li', `status.${s}`, undefined, { class: i < at ? 'done' : i === at ? 'current' : '' })));
  }

  function cancelPart(r) {
    const open = tx('button', 'operator.live.cancel', undefined, { type: 'button', class: 'btn op-cancel' });
    const reason = input({ maxlength: 500, id: `cancel-reason-${r.id}` });
    const box = el('p', { class: 'error', role: 'alert', hidden: true });
    const form = el('form', { class: 'op-cancel-form stack', novalidate: true, hidden: true },
      field('reason', 'operator.live.cancelReason', reason), box,
      el('div', { class: 'row' },
        tx('button', 'operator.live.cancelConfirm', undefined, { type: 'submit', class: 'btn danger' }),
        tx('button', 'operator.live.keep', undefined, { type: 'button', class: 'btn', onclick: () => { show(form, false); show(open); } })));
    open.addEventListener('click', () => { show(open, false); show(form); reason.focus(); });
    form.addEventListener('submit', async event => {
      event.preventDefault();
      clearErrors(form, box);
      const errors = {};
      check(errors, 'reason', reason.value, { required: true, max: 500 });
      if (Object.keys(errors).length) { showErrors(form, errors, box); return; }
      const button = form.querySelector('button[type=submit]');
      button.disabled = true;
      try {
        apply(await api('POST', `/api/requests/${r.id}/cancel`, { reason: reason.value.trim() }));
      } catch (failure) {
        showProblem(form, failure, box);
        button.disabled = false;
      }
    });
    return el('div', { class: 'op-req-actions' }, open, form);
  }

  /** A full view from an event or an answer: shown at once when newer than what is known. */
  function apply(request) {
    if (request?.id && keep(request)) render();
  }

  async function resync() {
    try {
      const rows = await api('GET', '/api/requests?status=all&mine=true');
      show(error, false);
      const views = await Promise.all(rows.slice(0, DETAILED).map(row =>
        api('GET', `/api/requests/${row.id}`).catch(() => row)));
      for (const row of rows.slice(DETAILED)) keep(row);
      for (const view of views) keep(view);
      render();
    } catch (failure) {
      error.textContent = failure.message;
      show(error);
    }
  }

  /** Fetches one request (after an intake) and shows it. */
  async function load(id) {
    apply(await api('GET', `/api/requests/${id}`));
  }

  render();
  return { resync, apply, load, render, get: id => requests.get(id) };
}
