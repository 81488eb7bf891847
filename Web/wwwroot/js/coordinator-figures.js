// The figures tab: GET /api/stats/dispatch (since today 00:00 China time, or ?since= in the page URL),
// with a hand-drawn SVG bar chart of the last 24 hours.
import { api, errorText } from '/js/api.js';
import { el, replace } from '/js/dom.js';
import { t } from '/js/i18n.js';
import { CLOSED, OPEN } from '/js/lifecycle.js';
import { minutes, timeOfDay, when } from '/js/format.js';
import { CATEGORIES } from '/js/words.js';

const SVG = 'http://www.w3.org/2000/svg';
const STATUSES = [...OPEN, ...CLOSED];

function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
  for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return node;
}

/** Grouped bars (created, completed) per hour; the y axis scales to the largest hour. */
export function chart(points) {
  const width = 960, height = 220, left = 32, bottom = 24, top = 10;
  const max = Math.max(1, ...points.map(p => Math.max(p.created, p.completed)));
  const step = (width - left) / Math.max(1, points.length);
  const bar = Math.max(2, step / 2 - 2);
  const y = v => top + (height - top - bottom) * (1 - v / max);
  const root = svg('svg', { class: 'co-chart', viewBox: `0 0 ${width} ${height}`, preserveAspectRatio: 'none', role: 'img',
    'aria-label': t('coordinator.figures.chart') });
  for (const tick of [0, Math.ceil(max / 2), max]) {
    root.append(svg('line', { class: 'axis', x1: left, x2: width, y1: y(tick), y2: y(tick) }),
      svg('text', { x: left - 4, y: y(tick) + 3, 'text-anchor': 'end' }, tick));
  }
  points.forEach((p, i) => {
    const x = left + i * step + 1;
    const hour = timeOfDay(p.hour);
    root.append(
      svg('rect', { class: 'bar-created', x, y: y(p.created), width: bar, height: y(0) - y(p.created) },
        svg('title', {}, `${hour} ${t('coordinator.figures.created')} ${p.created}`)),
      svg('rect', { class: 'bar-completed', x: x + bar + 1, y: y(p.completed), width: bar, height: y(0) - y(p.completed) },
        svg('title', {}, `${hour} ${t('coordinator.figures.completed')} ${p.completed}`)));
    if (i % 3 === 0) root.append(svg('text', { x: x + bar, y: height - 8, 'text-anchor': 'middle' }, hour));
  });
  return root;
}

const countTable = (prefix, keys, counts, id) => el('table', { id },
  el('tbody', {}, keys.map(k => el('tr', { dataset: { key: k } },
    el('td', {}, t(`${prefix}.${k}`)), el('td', { class: 'n' }, String(counts?.[k] ?? 0))))));

const timeCard = (titleKey, figures, id) => el('div', { class: 'co-fig', id },
  el('h3', {}, t(titleKey)),
  el('table', {}, el('tbody', {},
    el('tr', {}, el('td', {}, t('coordinator.figures.median')), el('td', { class: 'n', dataset: { figure: 'median' } }, minutes(figures.medianMinutes))),
    el('tr', {}, el('td', {}, t('coordinator.figures.p90')), el('td', { class: 'n', dataset: { figure: 'p90' } }, minutes(figures.p90Minutes))),
    el('tr', {}, el('td', {}, t('coordinator.figures.count')), el('td', { class: 'n', dataset: { figure: 'count' } }, String(figures.count))))));

/** Offers that reached no device (neither the live page nor a push the phone received), and each channel's answers. */
const deliveryCard = deliveries => {
  const d = deliveries ?? { offers: 0, seen: 0, reachedNoDevice: 0, byChannel: {} };
  return el('div', { class: 'co-fig', id: 'fig-deliveries' },
    el('h3', {}, t('coordinator.figures.reachedNoDevice')),
    el('div', { class: 'co-big', id: 'fig-no-device' }, String(d.reachedNoDevice)),
    el('div', { class: 'muted' }, t('coordinator.figures.offersSeen', { seen: d.seen, offers: d.offers })),
    el('table', {}, el('tbody', {}, Object.entries(d.byChannel ?? {}).sort().map(([key, n]) => {
      const [channel, outcome] = key.split('.');
      return el('tr', { dataset: { key } },
        el('td', {}, `${t(`reach.channel.${channel}`)} · ${t(`reach.outcome.${outcome}`)}`), el('td', { class: 'n' }, String(n)));
    }))));
};

export function createFigures(container) {
  let last = null;

  function render(stats) {
    const reach = stats.reachedWithinCircle;
    replace(container,
      el('div', { class: 'co-section-head' },
        el('h2', {}, t('coordinator.figures.title')),
        el('span', { class: 'muted' }, t('coordinator.figures.since', { time: when(stats.since) })),
        el('button', { type: 'button', class: 'btn', id: 'figures-refresh', onclick: load }, t('coordinator.figures.refresh'))),
      el('div', { class: 'co-fig-grid' },
        el('div', { class: 'co-fig' }, el('h3', {}, t('coordinator.figures.total')), el('div', { class: 'co-big', id: 'fig-total' }, String(stats.total))),
        el('div', { class: 'co-fig' }, el('h3', {}, t('coordinator.figures.escalated')), el('div', { class: 'co-big', id: 'fig-escalated' }, String(stats.escalated))),
        el('div', { class: 'co-fig' }, el('h3', { id: 'fig-within-circle-title' }, t('coordinator.figures.withinCircle', { n: reach.circleMinutes })),
          el('div', { class: 'co-big', id: 'fig-within-circle' }, reach.share == null ? t('coordinator.figures.none') : `${Math.round(reach.share * 100)}%`),
          el('div', { class: 'muted' }, t('coordinator.figures.withinCircleValue', { onTime: reach.onTime, arrived: reach.arrived }))),
        deliveryCard(stats.deliveries),
        timeCard('coordinator.figures.timeToClaim', stats.timeToClaim, 'fig-claim'),
        timeCard('coordinator.figures.timeToArrival', stats.timeToArrival, 'fig-arrival'),
        el('div', { class: 'co-fig' }, el('h3', {}, t('coordinator.figures.byStatus')), countTable('status', STATUSES, stats.byStatus, 'fig-status')),
        el('div', { class: 'co-fig' }, el('h3', {}, t('coordinator.figures.byCategory')), countTable('category', CATEGORIES, stats.byCategory, 'fig-category')),
        el('div', { class: 'co-fig' }, el('h3', {}, t('coordinator.figures.onDuty')),
          el('table', { id: 'fig-duty' }, el('tbody', {}, (stats.onDutyByStation ?? []).map(s => el('tr', {},
            el('td', {}, s.stationName ?? t('coordinator.figures.noStation')), el('td', { class: 'n' }, String(s.onDuty))))))),
        el('div', { class: 'co-fig co-chart-card' },
          el('h3', {}, t('coordinator.figures.chart')),
          el('div', { class: 'co-chart-legend' },
            el('span', {}, el('span', { class: 'co-swatch', style: { background: '#2563eb' } }), t('coordinator.figures.created')),
            el('span', {}, el('span', { class: 'co-swatch', style: { background: '#15803d' } }), t('coordinator.figures.completed'))),
          chart(stats.lastDay ?? []))));
  }

  async function load() {
    const since = new URLSearchParams(location.search).get('since');
    try {
      last = await api('GET', `/api/stats/dispatch${since ? `?since=${encodeURIComponent(since)}` : ''}`);
      render(last);
    } catch (error) {
      replace(container, el('p', { class: 'error' }, errorText(error)));
    }
  }

  return { load, rerender: () => last && render(last) };
}
