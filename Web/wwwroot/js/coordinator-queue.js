// The queue: open requests, closest to their deadline first, with running timers and filters.
import { el, replace, show } from '/js/dom.js';
import { t } from '/js/i18n.js';
import { duration } from '/js/format.js';
import { CATEGORIES, URGENCIES } from '/js/words.js';

const MINUTE = 60_000;

/** How many rows of the queue are drawn at first, and how many more each "show more" adds. */
export const QUEUE_PAGE = 300;

/** When the request is due: its running deadline, else (on the way / on site) its ETA plus a margin. */
export function dueAt(request) {
  if (request.deadlineAt) return Date.parse(request.deadlineAt);
  const since = Date.parse(request.enRouteAt ?? request.claimedAt ?? request.createdAt);
  const eta = request.assignedEtaMinutes ?? request.circleMinutes;
  return request.status === 'OnSite' ? Number.MAX_SAFE_INTEGER : since + (eta + 10) * MINUTE;
}

/** Past its deadline, or on the way for much longer than the ETA. */
export function isLate(request, now = Date.now()) {
  if (request.status === 'OnSite') return false;
  return now > dueAt(request);
}

/** The running timer: which phase the request is in and for how long. */
export function timer(request, now = Date.now()) {
  const since = iso => now - Date.parse(iso);
  switch (request.status) {
    case 'Offered': return { key: 'coordinator.timer.waiting', ms: since(request.createdAt) };
    case 'Claimed': return { key: 'coordinator.timer.notMoving', ms: since(request.claimedAt ?? request.createdAt) };
    case 'EnRoute': return {
      key: isLate(request, now) ? 'coordinator.timer.onTheWayTooLong' : 'coordinator.timer.onTheWay',
      ms: since(request.enRouteAt ?? request.createdAt),
    };
    default: return { key: 'coordinator.timer.onSite', ms: since(request.onSiteAt ?? request.createdAt) };
  }
}

function options(select, values, labelOf) {
  const current = select.value;
  replace(select,
    el('option', { value: '' }, t('coordinator.filter.all')),
    values.map(([value, label]) => el('option', { value }, labelOf ? labelOf(value) : label)));
  select.value = values.some(([v]) => v === current) ? current : '';
}

/**
 * Makes the list's children exactly the items, in their order, touching only what differs: an item already in its
 * place stays (not taken out and put back, so no new style or layout for it), one out of place is moved, a child not
 * among the items is removed.
 * @param {HTMLElement} list
 * @param {HTMLElement[]} items
 */
export function arrange(list, items) {
  let cursor = list.firstElementChild;
  for (const item of items) {
    if (item === cursor) { cursor = cursor.nextElementSibling; continue; }
    list.insertBefore(item, cursor);
  }
  while (cursor) {
    const next = cursor.nextElementSibling;
    cursor.remove();
    cursor = next;
  }
}

export function createQueue(store, { onSelect }) {
  const list = document.getElementById('queue');
  const empty = document.getElementById('queue-empty');
  const count = document.getElementById('queue-count');
  const more = document.getElementById('queue-more');
  /** @type {Record<'station' | 'category' | 'urgency', HTMLSelectElement>} */
  const filters = /** @type {any} */ ({
    station: document.getElementById('filter-station'),
    category: document.getElementById('filter-category'),
    urgency: document.getElementById('filter-urgency'),
  });
  const rows = new Map(); // request id -> { item, timerNode, deadlineNode, lateNode, request }
  const rowOf = new WeakMap(); // item -> its entry in rows
  let selectedId = null;

  // Only the rows on screen are ticked each second (a flood draws hundreds, most of them scrolled away); a row is
  // ticked when drawn and again whenever it comes into view, so what is seen is always current.
  const onScreen = new Set();
  const watcher = typeof IntersectionObserver === 'function'
    ? new IntersectionObserver(entries => {
      const now = Date.now();
      for (const { target, isIntersecting } of entries) {
        if (!isIntersecting) { onScreen.delete(target); continue; }
        onScreen.add(target);
        const entry = rowOf.get(target);
        if (entry) tickRow(entry, now);
      }
    })
    : null;

  function fillFilters() {
    options(filters.station, [...store.stations.values()].map(s => [s.id, s.name]));
    options(filters.category, CATEGORIES.map(c => [c]), c => t(`category.${c}`));
    options(filters.urgency, URGENCIES.map(u => [u]), u => t(`urgency.${u}`));
  }

  const matches = r => (!filters.station.value || r.stationId === filters.station.value)
    && (!filters.category.value || r.category === filters.category.value)
    && (!filters.urgency.value || r.urgency === filters.urgency.value);

  function row(request) {
    const timerNode = el('span', { class: 'co-timer' });
    const deadlineNode = el('span', { class: 'co-deadline' });
    const lateNode = el('span', { class: 'chip late', hidden: true, dataset: { role: 'late' } }, t('coordinator.badge.late'));
    const item = el('li', {
      class: ['co-queue-item', `status-${request.status}`, request.id === selectedId && 'selected'],
      dataset: { id: request.id, status: request.status },
      tabindex: 0,
      onclick: () => onSelect({ kind: 'request', id: request.id }),
      onkeydown: e => { if (e.key === 'Enter') onSelect({ kind: 'request', id: request.id }); },
    },
    el('div', { class: 'co-q-top' },
      el('span', { class: 'chip status' }, t(`status.${request.status}`)),
      el('span', { class: ['chip', `urgency-${request.urgency}`] }, t(`urgency.${request.urgency}`)),
      el('strong', {}, t(`category.${request.category}`)),
      request.escalated && el('span', { class: 'chip escalated' }, t('coordinator.badge.escalated')),
      lateNode),
    // A space between the two: read aloud (and in text) they are two figures, not one ("10:23 4:36", not "10:234:36").
    el('div', {}, timerNode, ' ', deadlineNode),
    el('div', { class: 'co-q-addr' }, request.address));
    const entry = { item, timerNode, deadlineNode, lateNode, request };
    rows.set(request.id, entry);
    rowOf.set(item, entry);
    tickRow(entry, Date.now());
    watcher?.observe(item);
    return item;
  }

  /** Lets go of a row no longer drawn (or drawn anew for a newer version of its request). */
  function drop(id, entry) {
    watcher?.unobserve(entry.item);
    onScreen.delete(entry.item);
    rows.delete(id);
  }

  function tickRow({ item, timerNode, deadlineNode, lateNode, request }, now) {
    const { key, ms } = timer(request, now);
    const late = isLate(request, now);
    timerNode.textContent = t(key, { t: duration(ms) });
    timerNode.classList.toggle('late', late);
    item.classList.toggle('late', late);
    lateNode.hidden = !late;
    if (request.deadlineAt) {
      const left = Date.parse(request.deadlineAt) - now;
      deadlineNode.textContent = left >= 0 ? t('coordinator.timer.deadlineIn', { t: duration(left) }) : t('coordinator.timer.overdue', { t: duration(-left) });
      deadlineNode.classList.toggle('late', left < 0);
    } else {
      deadlineNode.textContent = '';
    }
  }

  function tick() {
    const now = Date.now();
    if (!watcher) {
      for (const entry of rows.values()) tickRow(entry, now);
      return;
    }
    for (const item of onScreen) {
      const entry = rowOf.get(item);
      if (entry) tickRow(entry, now);
    }
  }

  /** The rows drawn: the first of the queue, more on request (a city's thousands of open requests are not all drawn at once). */
  let shown = QUEUE_PAGE;

  /** The open requests the filters let through, closest to their deadline first. */
  const ordered = () => [...store.requests.values()].filter(matches)
    .map(request => ({ request, due: dueAt(request) }))
    .sort((a, b) => a.due - b.due)
    .map(({ request }) => request);

  /**
   * Draws the first rows of the queue. A row whose request did not change since it was drawn is kept as it is (the
   * store replaces a request's object when a newer version arrives), so a live change redraws its own row, not the
   * hundreds around it; rows are moved only where the order changed.
   */
  function render(open = ordered()) {
    const drawn = open.slice(0, shown);
    const wanted = new Set(drawn.map(r => r.id));
    for (const [id, entry] of rows) {
      if (!wanted.has(id) || entry.request !== store.requests.get(id)) drop(id, entry);
    }
    arrange(list, drawn.map(request => rows.get(request.id)?.item ?? row(request)));
    show(empty, open.length === 0);
    count.textContent = t('coordinator.queue.count', { n: open.length });
    const left = open.length - shown;
    show(more, left > 0);
    if (left > 0) more.textContent = t('coordinator.queue.more', { n: Math.min(QUEUE_PAGE, left), left });
  }

  more.addEventListener('click', () => { shown += QUEUE_PAGE; render(); });
  for (const select of Object.values(filters)) select.addEventListener('change', () => { shown = QUEUE_PAGE; render(); });

  // Re-render on changes (batched into one frame), tick the timers every second.
  let pending = false;
  const schedule = () => {
    if (pending) return;
    pending = true;
    setTimeout(() => { pending = false; render(); }, 30);
  };
  store.subscribe(kind => {
    if (kind === 'reset') fillFilters();
    if (kind !== 'volunteer') schedule();
  });
  setInterval(tick, 1000);
  fillFilters();

  return {
    /** Every row drawn anew (the language changed: every row's words), not only the changed ones. */
    render: () => {
      fillFilters();
      for (const [id, entry] of rows) drop(id, entry);
      render();
    },
    /** Marks the chosen request's row; one chosen on the map beyond the rows drawn gets them drawn as far as it. */
    select(id) {
      selectedId = id;
      if (id && !rows.has(id) && store.requests.has(id)) {
        const open = ordered();
        const at = open.findIndex(r => r.id === id);
        if (at >= shown) { shown = (Math.floor(at / QUEUE_PAGE) + 1) * QUEUE_PAGE; render(open); }
      }
      for (const [rid, { item }] of rows) item.classList.toggle('selected', rid === id);
      rows.get(id)?.item.scrollIntoView({ block: 'nearest' });
    },
  };
}
