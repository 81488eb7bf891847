// The list of live offers, keyed by requestId: a snapshot (GET me/offers) replaces it, hub events add and
// remove single offers, so an offer is never shown twice.
import { el, replace, show } from '/js/dom.js';
import { t } from '/js/i18n.js';
import { createMap, dotMarker } from '/js/map.js';
import { distance, minutes } from '/js/format.js';
import { categoryIcon, timeAgo } from '/js/volunteer-format.js';

/** @typedef {import('../../types/api').Offer} Offer */

/**
 * @param {{ list: HTMLElement, count: HTMLElement, empty: HTMLElement, onClaim: (offer: Offer) => Promise<void> | void }} elements
 */
export function createOfferList({ list, count, empty, onClaim }) {
  /** @type {Map<string, { offer: Offer, node?: HTMLElement, map?: any, busy: boolean }>} requestId -> the offer's card */
  const items = new Map();
  let onDuty = false;

  function card(item) {
    const { offer } = item;
    const mapBox = el('div', { class: 'offer-map', 'aria-label': t('volunteer.offer.mapLabel'), role: 'img' });
    const node = el('article', { class: ['card', 'offer', `offer-${offer.urgency}`], dataset: { requestId: offer.requestId } },
      el('div', { class: 'offer-top' },
        categoryIcon(offer.category),
        el('span', { class: 'offer-category' }, t(`category.${offer.category}`)),
        el('span', { class: ['chip', `urgency-${offer.urgency}`, 'offer-urgency'] }, t(`urgency.${offer.urgency}`)),
        el('span', { class: 'offer-age muted' }, timeAgo(offer.createdAt))),
      el('div', { class: 'offer-facts' },
        el('span', { class: 'offer-eta' }, t('volunteer.offer.eta', { eta: minutes(offer.etaMinutes, { whole: true }) })),
        el('span', { class: 'offer-distance' }, t('volunteer.offer.distance', { distance: distance(offer.distanceM, { roundTo: 10 }) }))),
      mapBox,
      el('button', {
        type: 'button', class: 'btn primary block offer-claim', disabled: item.busy,
        onclick: () => onClaim(offer.requestId),
      }, t(item.busy ? 'volunteer.offer.claiming' : 'volunteer.offer.claim')));
    return { node, mapBox };
  }

  async function drawMap(item, mapBox) {
    const position = item.offer.approxPosition;
    if (!position || !window.L) return;
    const map = await createMap(mapBox, {
      center: [position.lat, position.lon], zoom: 15, zoomControl: false, dragging: false, touchZoom: false,
      scrollWheelZoom: false, doubleClickZoom: false, boxZoom: false, keyboard: false,
    });
    if (!mapBox.isConnected) {
      map.remove();
      return;
    }
    window.L.circle([position.lat, position.lon], { radius: 200, color: '#c8102e', weight: 1, fillOpacity: 0.12 }).addTo(map);
    dotMarker([position.lat, position.lon], { color: '#c8102e' }).addTo(map);
    item.map = map;
  }

  const sameOffer = (a, b) => Object.keys(b).every(key => key === 'seq' || JSON.stringify(a[key]) === JSON.stringify(b[key]));

  function render(item) {
    const { node, mapBox } = card(item);
    item.map?.remove();
    item.map = null;
    if (item.node?.isConnected) item.node.replaceWith(node);
    item.node = node;
    drawMap(item, mapBox).catch(() => {});
  }

  /**
   * Adds an offer or takes in news of it; a card is drawn again only when what it shows changed (the same offer
   * arrives live and in the snapshot after a reconnect), so a card under the volunteer's finger stays put.
   * Answers whether anything changed.
   */
  function merge(offer) {
    const item = items.get(offer.requestId);
    if (item) {
      const next = { ...item.offer, ...offer };
      if (sameOffer(item.offer, next)) return false;
      item.offer = next;
      render(item);
      return true;
    }
    const added = { offer: { ...offer }, busy: false };
    items.set(offer.requestId, added);
    render(added);
    return true;
  }

  function layout() {
    const ordered = [...items.values()].sort((a, b) => Date.parse(b.offer.createdAt) - Date.parse(a.offer.createdAt));
    replace(list, ordered.map(item => item.node));
    for (const item of ordered) item.map?.invalidateSize();
    count.textContent = String(items.size);
    show(empty, items.size === 0);
    empty.dataset.i18n = onDuty ? 'volunteer.offers.empty' : 'volunteer.offers.emptyOffDuty';
    empty.textContent = t(empty.dataset.i18n);
  }

  function drop(requestId) {
    const item = items.get(requestId);
    if (!item) return false;
    item.map?.remove();
    item.node.remove();
    items.delete(requestId);
    return true;
  }

  return {
    has: requestId => items.has(requestId),
    get: requestId => items.get(requestId)?.offer,
    get size() { return items.size; },
    /** Replaces the whole list with a snapshot (offers from GET /api/volunteers/me/offers). */
    set(offers) {
      const keep = new Set(offers.map(o => o.requestId));
      for (const id of [...items.keys()]) if (!keep.has(id)) drop(id);
      for (const offer of offers) merge(offer);
      layout();
    },
    /** Adds or updates one offer (a hub event); answers whether it was new. */
    upsert(offer) {
      const isNew = !items.has(offer.requestId);
      if (merge(offer)) layout();
      return isNew;
    },
    remove(requestId) {
      const removed = drop(requestId);
      if (removed) layout();
      return removed;
    },
    setBusy(requestId, busy) {
      const item = items.get(requestId);
      if (!item) return;
      item.busy = busy;
      const button = /** @type {HTMLButtonElement} */ (item.node.querySelector('.offer-claim'));
      button.disabled = busy;
      button.textContent = t(busy ? 'volunteer.offer.claiming' : 'volunteer.offer.claim');
    },
    setOnDuty(value) {
      onDuty = value;
      layout();
    },
    /** Re-renders every card (after a language switch). */
    rerender() {
      for (const item of items.values()) render(item);
      layout();
    },
    /** Refreshes the "x min ago" texts. */
    tick() {
      for (const item of items.values()) {
        const age = item.node.querySelector('.offer-age');
        if (age) age.textContent = timeAgo(item.offer.createdAt);
      }
    },
  };
}
