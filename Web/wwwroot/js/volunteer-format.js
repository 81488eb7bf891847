// Small helpers of the volunteer page: icons, "x min ago", navigation links, distances between points (the
// formatting of times, minutes and distances is /js/format.js).
import { el } from '/js/dom.js';
import { t } from '/js/i18n.js';

const ICONS = {
  Groceries: '🥬', Meals: '🍱', SchoolSupplies: '🎒', Medicine: '💊',
  Tutoring: '📚', Escort: '🤝', FirstAid: '🚑', Other: '📋',
};

let emojiFont;

/** Whether the device draws emoji (a phone does; a bare server browser draws empty boxes). */
function hasEmojiFont() {
  if (emojiFont === undefined) {
    try {
      const context = document.createElement('canvas').getContext('2d');
      context.font = '32px sans-serif';
      emojiFont = context.measureText('💊').width !== context.measureText('\u{10FFFD}').width;
    } catch {
      emojiFont = true;
    }
  }
  return emojiFont;
}

/**
 * The icon of a request category (decoration; its name is shown next to it): an emoji, or where the device
 * has no emoji font the first character of the category's name on a round badge.
 */
export function categoryIcon(category) {
  const emoji = hasEmojiFont();
  return el('span', { class: ['offer-icon', !emoji && 'offer-icon-letter'], 'aria-hidden': 'true' },
    emoji ? ICONS[category] ?? ICONS.Other : t(`category.${category}`).slice(0, 1));
}

/** "just now" / "3 min ago" / "2 h ago" for an ISO time, relative to now. */
export function timeAgo(iso, now = Date.now()) {
  const minutes = Math.floor((now - Date.parse(iso)) / 60_000);
  if (!Number.isFinite(minutes) || minutes < 1) return t('volunteer.ago.now');
  if (minutes < 60) return t('volunteer.ago.minutes', { n: minutes });
  return t('volunteer.ago.hours', { n: Math.floor(minutes / 60) });
}

/**
 * Navigation links built from the position alone (no external script): Amap's web URI and a geo: URI. The label is
 * what the map shows at the destination; never the family's address, which would leave in the URL for Amap's servers
 * and stay in the phone's history after the job.
 */
export function navigationLinks({ lat, lon }, label) {
  const name = encodeURIComponent(label ?? '');
  return {
    amap: `https://uri.amap.com/navigation?to=${lon},${lat},${name}&mode=walk&coordinate=wgs84&callnative=1`,
    geo: `geo:${lat},${lon}?q=${lat},${lon}`,
  };
}

/** Distance in metres between two { lat, lon } points (haversine). */
export function distanceM(a, b) {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.sqrt(h));
}
