// The requests this volunteer carries: full address, the caller's phone, the description, navigation links,
// and the next step (En route -> Arrived -> Done, or Can't go). Every action answers the request as the
// server now has it; a failed action shows the server's reason and reloads the request, so the card always
// shows the server's state.
import { api, ApiError, errorText } from '/js/api.js';
import { el, replace, show } from '/js/dom.js';
import { t } from '/js/i18n.js';
import { isAssigned, isComing, nextStep } from '/js/lifecycle.js';
import { timeOfDay } from '/js/format.js';
import { categoryIcon, navigationLinks } from '/js/volunteer-format.js';

/**
 * section/list: the elements; volunteerId: whose tasks these are;
 * onGone(request, why): a card left ('completed' | 'released' | 'cancelled' | 'reassigned').
 */
export function createAssignmentList({ section, list, volunteerId, onGone }) {
  /** requestId -> { request, node, note, releasing, reason, error, busy } */
  const items = new Map();

  const isMine = request => request && request.assignedVolunteerId === volunteerId && isAssigned(request.status);

  function stepButton(item, status, key, cls) {
    const enabled = !item.busy && !item.releasing && nextStep(item.request.status) === status;
    return el('button', {
      type: 'button', class: ['btn', 'step', cls, enabled && 'primary'], disabled: !enabled,
      onclick: () => changeStatus(item, status),
    }, t(key));
  }

  function card(item) {
    const r = item.request;
    const links = navigationLinks(r.position, t(`category.${r.category}`));
    // "Can't go" while on the way; once on site the volunteer finishes (the server would take a release then too).
    const canRelease = !item.busy && isComing(r.status);
    return el('article', { class: ['card', 'assignment'], dataset: { requestId: r.id, status: r.status } },
      el('div', { class: 'offer-top' },
        categoryIcon(r.category),
        el('span', { class: 'offer-category' }, t(`category.${r.category}`)),
        el('span', { class: ['chip', `urgency-${r.urgency}`] }, t(`urgency.${r.urgency}`)),
        el('span', { class: ['chip', 'status-chip', 'assignment-status', `status-${r.status}`] }, t(`status.${r.status}`))),
      r.claimedAt && el('p', { class: 'muted assignment-claimed' }, t('volunteer.assignment.claimedAt', { time: timeOfDay(r.claimedAt) })),
      el('dl', { class: 'assignment-facts' },
        el('dt', {}, t('volunteer.assignment.address')),
        el('dd', { class: 'assignment-address' }, r.address),
        el('dt', {}, t('volunteer.assignment.phone')),
        el('dd', {}, r.callerPhone
          ? el('a', { class: 'assignment-phone', href: `tel:${r.callerPhone}` }, r.callerPhone)
          : '—'),
        el('dt', {}, t('volunteer.assignment.description')),
        el('dd', { class: 'assignment-description' }, r.description ?? t('volunteer.assignment.noDescription'))),
      el('div', { class: 'row assignment-nav' },
        el('a', { class: 'btn assignment-navigate', href: links.amap, target: '_blank', rel: 'noopener noreferrer' },
          t('volunteer.assignment.navigate')),
        el('a', { class: 'btn assignment-geo', href: links.geo }, t('volunteer.assignment.navigateApp'))),
      item.error && el('p', { class: 'error assignment-error', role: 'alert' }, item.error),
      el('div', { class: 'steps' },
        stepButton(item, 'EnRoute', 'volunteer.assignment.enRoute', 'assignment-enroute'),
        stepButton(item, 'OnSite', 'volunteer.assignment.arrived', 'assignment-arrived'),
        stepButton(item, 'Completed', 'volunteer.assignment.done', 'assignment-done')),
      r.status === 'OnSite' && el('div', { class: 'field' },
        el('label', { for: `note-${r.id}` }, t('volunteer.assignment.note')),
        el('textarea', {
          id: `note-${r.id}`, class: 'assignment-note', rows: 2, maxlength: 1000,
          placeholder: t('volunteer.assignment.notePlaceholder'),
          oninput: e => { item.note = e.target.value; },
        })),
      item.releasing
        ? el('div', { class: 'release stack' },
            el('label', { for: `reason-${r.id}` }, t('volunteer.assignment.reason')),
            el('textarea', {
              id: `reason-${r.id}`, class: 'assignment-reason', rows: 2, maxlength: 500,
              placeholder: t('volunteer.assignment.reasonPlaceholder'),
              oninput: e => { item.reason = e.target.value; },
            }),
            el('div', { class: 'row' },
              el('button', { type: 'button', class: 'btn danger assignment-release-confirm', disabled: item.busy, onclick: () => release(item) },
                t('volunteer.assignment.confirmRelease')),
              el('button', { type: 'button', class: 'btn assignment-release-cancel', disabled: item.busy,
                onclick: () => { item.releasing = false; item.error = null; render(item); } },
                t('volunteer.assignment.keep'))))
        : el('button', {
            type: 'button', class: 'btn assignment-cantgo', disabled: !canRelease,
            onclick: () => { item.releasing = true; render(item); },
          }, t('volunteer.assignment.cantGo')),
      item.busy && el('p', { class: 'muted' }, t('volunteer.assignment.working')));
  }

  function render(item) {
    const node = card(item);
    // Keep what was typed in the text boxes across re-renders.
    const note = node.querySelector('.assignment-note');
    if (note) note.value = item.note;
    const reason = node.querySelector('.assignment-reason');
    if (reason) reason.value = item.reason;
    if (item.node?.isConnected) item.node.replaceWith(node);
    item.node = node;
  }

  function layout() {
    replace(list, [...items.values()].map(item => item.node));
    show(section, items.size > 0);
  }

  function drop(id) {
    const item = items.get(id);
    if (!item) return null;
    item.node.remove();
    items.delete(id);
    layout();
    return item;
  }

  /** Shows the request as the server has it: a card while it is mine and open, else gone. */
  function apply(request, why) {
    if (isMine(request)) {
      const item = items.get(request.id);
      if (item && typeof item.request.version === 'number' && request.version < item.request.version) return;
      const next = item ?? { note: '', releasing: false, reason: '', error: null, busy: false };
      next.request = request;
      items.set(request.id, next);
      render(next);
      layout();
    } else if (items.has(request.id)) {
      drop(request.id);
      onGone(request, why ?? (request.status === 'Completed' ? 'completed'
        : request.status === 'Cancelled' ? 'cancelled'
        : request.status === 'Offered' ? 'released' : 'reassigned'));
    }
  }

  async function act(item, call, why) {
    item.busy = true;
    item.error = null;
    render(item);
    try {
      const request = await call();
      item.busy = false;
      if (why === 'released') item.releasing = false;
      apply(request, why);
    } catch (error) {
      item.busy = false;
      item.error = errorText(error);
      render(item);
      await reload(item.request.id);
    }
  }

  async function reload(id) {
    try {
      const request = await api('GET', `/api/requests/${id}`);
      // A volunteer no longer assigned sees the offer shape (no id/status of a full view) or 404.
      if (request?.id) apply(request);
      else if (items.has(id)) { drop(id); onGone({ id }, 'reassigned'); }
    } catch (error) {
      if (error instanceof ApiError && error.status === 404 && items.has(id)) {
        drop(id);
        onGone({ id }, 'reassigned');
      }
    }
  }

  function changeStatus(item, status) {
    const body = { status };
    if (status === 'Completed' && item.note.trim()) body.note = item.note.trim();
    // The same target status again is a no-op for the request grain, so a 503 may be retried.
    return act(item, () => api('POST', `/api/requests/${item.request.id}/status`, body, { retries: 3 }),
      status === 'Completed' ? 'completed' : undefined);
  }

  function release(item) {
    const reason = item.reason.trim();
    if (!reason) {
      item.error = t('volunteer.assignment.reasonRequired');
      render(item);
      return Promise.resolve();
    }
    return act(item, () => api('POST', `/api/requests/${item.request.id}/release`, { reason }), 'released');
  }

  return {
    has: id => items.has(id),
    get size() { return items.size; },
    /** Replaces every card with a snapshot (GET /api/volunteers/me/assignments). */
    set(requests) {
      const mine = requests.filter(isMine);
      const keep = new Set(mine.map(r => r.id));
      for (const id of [...items.keys()]) if (!keep.has(id)) drop(id);
      for (const request of mine) {
        const item = items.get(request.id);
        if (item) item.request = request;
        apply(request);
      }
      layout();
    },
    apply,
    rerender() {
      for (const item of items.values()) render(item);
      layout();
    },
  };
}
