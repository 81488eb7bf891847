// Leaflet maps (needs <link rel="stylesheet" href="/lib/leaflet/leaflet.css"> and
// <script src="/lib/leaflet/leaflet.js"> before the module; for clusters also /lib/leaflet.markercluster/*).
//   const map = await createMap(document.getElementById('map'), { center: [lat, lon], zoom: 15 });
//   dotMarker([lat, lon], { color: '#d33', title: t('status.Offered') }).addTo(map);
// Tiles come from GET /api/config (Outreach:Map:TileUrl); the attribution (Outreach:Map:TileAttribution) is
// the only HTML Leaflet is given, and it comes from the server's configuration, never from a user. Without a
// tile URL, or when tiles fail to load, the map is a plain gridded background and markers still show.
import { api } from '/js/api.js';
import { el } from '/js/dom.js';

/** The demo region (Puyang); pages pass their own center when they know better. */
export const DEFAULT_CENTER = [35.7674, 115.0258];
export const DEFAULT_ZOOM = 14;

let configPromise;

/** GET /api/config, once per page: { tileUrl, tileAttribution }. */
export function loadConfig() {
  configPromise ??= api('GET', '/api/config').catch(() => ({ tileUrl: '', tileAttribution: '' }));
  return configPromise;
}

function leaflet() {
  const L = window.L;
  if (!L) throw new Error('map.js needs /lib/leaflet/leaflet.js loaded first');
  return L;
}

/** Creates a Leaflet map in element; options are Leaflet map options plus center and zoom. */
/**
 * @param {HTMLElement} element
 * @param {{ center?: number[], zoom?: number, [option: string]: unknown }} [options]
 */
export async function createMap(element, { center = DEFAULT_CENTER, zoom = DEFAULT_ZOOM, ...options } = {}) {
  const L = leaflet();
  const config = await loadConfig();
  element.classList.add('map');
  const map = L.map(element, { zoomControl: true, ...options }).setView(center, zoom);
  if (config.tileUrl) {
    L.tileLayer(config.tileUrl, { attribution: config.tileAttribution, maxZoom: 19 }).addTo(map);
  } else {
    element.classList.add('map-no-tiles');
  }
  return map;
}

/**
 * Gives layer a tooltip showing text as text. Leaflet writes a string tooltip, popup or label with innerHTML,
 * so a name like <img onerror=…> would run as script; a DOM node is inserted as it is. Never pass strings to
 * bindTooltip, bindPopup, setContent or divIcon's html: use this, or an element built with dom.el.
 */
export function bindTextTooltip(layer, text, options) {
  return layer.bindTooltip(() => el('span', {}, String(text)), options);
}

/** A round marker drawn by the browser (no image): colour by status, title as the tooltip text. */
/**
 * @param {number[]} latLng
 * @param {{ color?: string, radius?: number, title?: string }} [options]
 */
export function dotMarker(latLng, { color = '#1f6feb', radius = 8, title } = {}) {
  const marker = leaflet().circleMarker(latLng, { radius, color: '#fff', weight: 2, fillColor: color, fillOpacity: 0.9 });
  if (title) bindTextTooltip(marker, title);
  return marker;
}
