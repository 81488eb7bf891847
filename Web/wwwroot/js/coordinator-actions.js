// The panel on the right: a request's details, timeline and actions (assign from the ranked candidates,
// re-offer wider, cancel with a reason, add a note); or a volunteer's or station's details.
import { api, ApiError, errorText } from '/js/api.js';
import { el, replace } from '/js/dom.js';
import { t } from '/js/i18n.js';
import { flash } from '/js/coordinator-format.js';
import { distance, duration, minutes, when } from '/js/format.js';
import { isLate } from '/js/coordinator-queue.js';
import { isOpen } from '/js/lifecycle.js';
import { describeTimeline, timelineActor } from '/js/timeline.js';

const facts = pairs => el('dl', { class: 'co-facts' },
  pairs.filter(Boolean).map(([key, value]) => [el('dt', {}, t(key)), el('dd', {}, value ?? t('coordinator.detail.nobody'))]));

export function createDetail(store) {
  const panel = document.getElementById('detail');
  let current = null; // { kind, id }
  let generation = 0;
  // What reached whom keeps arriving after a change (a provider's answer, a device's "seen"): while a request is
  // shown, its deliveries are read again every few seconds.
  let deliveriesRefresh = null;

  function showNone() {
    current = null;
    delete panel.dataset.requestId;
    replace(panel, el('p', { class: 'muted' }, t('coordinator.detail.none')));
  }

  async function showRequest(id) {
    const mine = ++generation;
    let request = store.requests.get(id);
    try {
      request = await api('GET', `/api/requests/${id}`);
      store.applyRequest(request);
    } catch (error) {
      if (!request) { flash(errorText(error), true); return; }
    }
    if (mine !== generation) return;
    const open = isOpen(request.status);
    const station = request.stationId ? store.stations.get(request.stationId)?.name : null;
    const timeline = el('ol', { class: 'co-timeline', id: 'timeline' }, el('li', { class: 'muted' }, t('coordinator.candidates.load')));
    const candidates = el('ul', { class: 'co-candidates', id: 'candidates' });
    const deliveries = el('ul', { class: 'co-deliveries', id: 'deliveries' });
    const confirmSlot = el('div', { id: 'confirm-slot' });
    // A live change re-draws the shown request: what the coordinator was typing there stays, focus included.
    const drafts = panel.dataset.requestId === id ? draftsIn(panel) : [];

    replace(panel,
      el('h2', {},
        el('span', { class: ['chip', 'status', `status-${request.status}`] }, t(`status.${request.status}`)),
        el('span', {}, t(`category.${request.category}`)),
        el('span', { class: ['chip', `urgency-${request.urgency}`] }, t(`urgency.${request.urgency}`)),
        request.escalated && el('span', { class: 'chip escalated' }, t('coordinator.badge.escalated')),
        open && isLate(request) && el('span', { class: 'chip late' }, t('coordinator.badge.late'))),
      facts([
        ['coordinator.detail.address', request.address],
        request.description && ['coordinator.detail.description', request.description],
        ['coordinator.detail.caller', request.callerPhone],
        ['coordinator.detail.station', station],
        ['coordinator.detail.assigned', request.assignedVolunteerName],
        request.assignedEtaMinutes != null && ['coordinator.detail.eta', minutes(request.assignedEtaMinutes)],
        ['coordinator.detail.created', when(request.createdAt)],
        request.deadlineAt && ['coordinator.detail.deadline', when(request.deadlineAt)],
        ['coordinator.detail.offered', String(request.offeredCount)],
        ['coordinator.detail.circle', t('unit.minutes', { n: request.circleMinutes })],
      ]),
      open ? actions(request, candidates, confirmSlot) : el('p', { class: 'muted' }, t('coordinator.detail.closed')),
      el('h3', {}, t('coordinator.timeline.title')),
      timeline,
      el('h3', {}, t('coordinator.deliveries.title')),
      deliveries);
    panel.dataset.requestId = id;
    restoreDrafts(panel, drafts);

    loadTimeline(id, timeline, mine);
    loadDeliveries(id, deliveries, mine);
    clearInterval(deliveriesRefresh);
    deliveriesRefresh = setInterval(() => {
      if (mine !== generation || !deliveries.isConnected) { clearInterval(deliveriesRefresh); return; }
      loadDeliveries(id, deliveries, mine);
    }, 3000);
    if (open) loadCandidates(request, candidates, confirmSlot, mine);
  }

  /**
   * The typed text of the panel's inputs (note, cancel reason) and which one has focus.
   * @param {HTMLElement} container
   * @returns {{ id: string, value: string, focused: boolean }[]}
   */
  function draftsIn(container) {
    return [...container.querySelectorAll('input[id]')]
      .map(input => /** @type {HTMLInputElement} */ (input))
      .filter(input => input.value !== '' || input === document.activeElement)
      .map(input => ({ id: input.id, value: input.value, focused: input === document.activeElement }));
  }

  /**
   * @param {HTMLElement} container
   * @param {{ id: string, value: string, focused: boolean }[]} drafts
   */
  function restoreDrafts(container, drafts) {
    for (const draft of drafts) {
      const input = /** @type {HTMLInputElement | null} */ (container.querySelector(`#${CSS.escape(draft.id)}`));
      if (!input) continue;
      input.value = draft.value;
      if (draft.focused) input.focus();
    }
  }

  function actions(request, candidates, confirmSlot) {
    const reason = el('input', { id: 'cancel-reason', maxlength: 500, placeholder: t('coordinator.action.reason') });
    const note = el('input', { id: 'note-text', maxlength: 2000, placeholder: t('coordinator.action.note') });
    return el('div', { class: 'co-actions' },
      el('h3', {}, t('coordinator.candidates.title')),
      candidates,
      confirmSlot,
      el('div', { class: 'co-action' },
        el('button', { type: 'button', class: 'btn', id: 'reoffer', onclick: () => act(request, 'reoffer', {}, 'coordinator.action.done.reoffer') },
          t('coordinator.action.reoffer'))),
      el('div', { class: 'co-action' }, reason,
        el('button', { type: 'button', class: 'btn danger', id: 'cancel-request', onclick: () => {
          if (!reason.value.trim()) { flash(t('coordinator.action.reasonRequired'), true); reason.focus(); return; }
          act(request, 'cancel', { reason: reason.value.trim() }, 'coordinator.action.done.cancel');
        } }, t('coordinator.action.cancel'))),
      el('div', { class: 'co-action' }, note,
        el('button', { type: 'button', class: 'btn', id: 'add-note', onclick: () => {
          if (!note.value.trim()) { flash(t('coordinator.action.noteRequired'), true); note.focus(); return; }
          act(request, 'notes', { note: note.value.trim() }, 'coordinator.action.done.note');
        } }, t('coordinator.action.addNote'))));
  }

  async function act(request, action, body, doneKey, params) {
    try {
      const answer = await api('POST', `/api/requests/${request.id}/${action}`, body);
      if (answer && answer.id) store.applyRequest(answer);
      flash(t(doneKey, params));
    } catch (error) {
      flash(errorText(error), true);
      return false;
    } finally {
      if (current?.kind === 'request' && current.id === request.id) showRequest(request.id);
    }
    return true;
  }

  async function assign(request, candidate, confirmSlot, force = false) {
    try {
      const answer = await api('POST', `/api/requests/${request.id}/assign`, { volunteerId: candidate.volunteerId, force });
      if (answer && answer.id) store.applyRequest(answer);
      flash(t('coordinator.action.done.assign', { name: candidate.name }));
      if (current?.kind === 'request' && current.id === request.id) showRequest(request.id);
    } catch (error) {
      if (error instanceof ApiError && error.status === 409 && error.problem.needsConfirmation && !force) {
        replace(confirmSlot, el('div', { class: 'co-confirm', role: 'alertdialog' },
          el('p', {}, t('coordinator.action.confirmForce', { detail: (error.detail ?? '').replace(/[.。]\s*$/, ''), name: candidate.name })),
          el('div', { class: 'co-form-actions' },
            el('button', { type: 'button', class: 'btn danger', id: 'confirm-force', onclick: () => assign(request, candidate, confirmSlot, true) },
              t('coordinator.action.forceAssign')),
            el('button', { type: 'button', class: 'btn', onclick: () => replace(confirmSlot) }, t('action.cancel')))));
        return;
      }
      flash(errorText(error), true);
    }
  }

  async function loadTimeline(id, list, mine) {
    try {
      const entries = await api('GET', `/api/requests/${id}/timeline`);
      if (mine !== generation) return;
      replace(list, entries.length === 0 ? el('li', { class: 'muted' }, t('coordinator.timeline.empty')) : entries.map(entry => {
        const { text, words, forced } = describeTimeline(entry);
        return el('li', {},
          el('span', { class: 'when' }, when(entry.at)),
          el('strong', {}, entry.to ? t(`status.${entry.to}`) : ''),
          ' ', timelineActor(entry),
          text ? el('div', { class: 'muted' }, text) : null,
          words ? el('div', { class: 'words' }, words) : null,
          forced.length > 0 ? el('span', { class: 'forced', title: forced.join('；') }, t('coordinator.timeline.forced')) : null);
      }));
    } catch (error) {
      if (mine === generation) replace(list, el('li', { class: 'error' }, errorText(error)));
    }
  }

  /** What reached whom: one line per event, channel and answer, with how many (and who, for volunteers). */
  async function loadDeliveries(id, list, mine) {
    try {
      const records = await api('GET', `/api/requests/${id}/deliveries`);
      if (mine !== generation) return;
      const groups = new Map();
      for (const r of records) {
        const key = `${r.event}|${r.channel}|${r.outcome}|${r.detail ?? ''}`;
        const group = groups.get(key) ?? { ...r, volunteers: new Set(), count: 0, last: r.at };
        group.count++;
        group.last = r.at;
        if (r.volunteerId) group.volunteers.add(store.volunteers.get(r.volunteerId)?.name ?? '');
        groups.set(key, group);
      }
      replace(list, groups.size === 0 ? el('li', { class: 'muted' }, t('coordinator.deliveries.empty')) : [...groups.values()].map(g => {
        const names = [...g.volunteers].filter(Boolean);
        return el('li', { dataset: { event: g.event, channel: g.channel, outcome: g.outcome } },
          el('span', { class: 'when' }, when(g.last)),
          el('strong', {}, t(`reach.event.${g.event}`)), ' ',
          t(`reach.channel.${g.channel}`), ' · ',
          el('span', { class: `outcome-${g.outcome}` }, t(`reach.outcome.${g.outcome}`)),
          g.detail ? el('span', { class: 'muted' }, ` (${g.detail})`) : null,
          el('span', { class: 'n' }, ` × ${g.count}`),
          names.length > 0 ? el('div', { class: 'muted', title: names.join('、') },
            names.slice(0, 5).join('、') + (names.length > 5 ? ` +${names.length - 5}` : '')) : null);
      }));
    } catch (error) {
      if (mine === generation) replace(list, el('li', { class: 'error' }, errorText(error)));
    }
  }

  async function loadCandidates(request, list, confirmSlot, mine) {
    replace(list, el('li', { class: 'muted' }, t('coordinator.candidates.load')));
    try {
      const found = await api('GET', `/api/requests/${request.id}/candidates`);
      if (mine !== generation) return;
      replace(list, found.length === 0 ? el('li', { class: 'muted' }, t('coordinator.candidates.empty')) : found.map(c =>
        el('li', { dataset: { volunteerId: c.volunteerId } },
          el('span', {}, el('strong', {}, c.name), ' ', t(`travel.${c.travelMode}`), el('br'),
            el('span', { class: 'muted' }, t('coordinator.candidates.eta', { eta: minutes(c.etaMinutes), d: distance(c.distanceM) }))),
          el('button', { type: 'button', class: 'btn primary', onclick: () => assign(request, c, confirmSlot) }, t('coordinator.action.assign')))));
    } catch (error) {
      if (mine === generation) replace(list, el('li', { class: 'error' }, errorText(error)));
    }
  }

  function showVolunteer(id) {
    generation++;
    const v = store.volunteers.get(id);
    if (!v) { showNone(); return; }
    delete panel.dataset.requestId;
    replace(panel,
      el('h2', {}, t('coordinator.volunteer.title'), ' ', el('span', {}, v.name)),
      facts([
        ['coordinator.volunteer.skills', (v.skills ?? []).map(s => t(`category.${s}`)).join('、')],
        ['coordinator.volunteer.travel', v.travelMode ? t(`travel.${v.travelMode}`) : null],
        ['coordinator.volunteer.load', t('coordinator.volunteer.loadValue', { load: v.load ?? 0, capacity: v.capacity ?? 1 })],
        ['coordinator.detail.station', v.homeStationId ? store.stations.get(v.homeStationId)?.name : null],
        ['coordinator.volunteer.seen', v.at ? `${when(v.at)} (${duration(Date.now() - Date.parse(v.at))})` : null],
      ]));
  }

  function showStation(id) {
    generation++;
    const s = store.stations.get(id);
    if (!s) { showNone(); return; }
    delete panel.dataset.requestId;
    replace(panel,
      el('h2', {}, t('coordinator.station.title'), ' ', el('span', {}, s.name)),
      facts([
        ['coordinator.detail.address', s.address],
        ['coordinator.rosters.phone', s.phone],
        ['coordinator.station.radius', t('unit.meters', { n: s.circleRadiusM })],
      ]));
  }

  return {
    show(selection) {
      current = selection;
      if (!selection) showNone();
      else if (selection.kind === 'request') showRequest(selection.id);
      else if (selection.kind === 'volunteer') showVolunteer(selection.id);
      else showStation(selection.id);
    },
    /** Re-renders after a live change of the shown request (status, assignee). */
    refresh(kind, item) {
      if (current?.kind === 'request' && kind === 'request' && item.id === current.id) showRequest(current.id);
    },
    rerender() { if (current) this.show(current); else showNone(); },
  };
}
