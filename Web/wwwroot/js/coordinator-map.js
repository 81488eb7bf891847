// The live map: stations with their circles, on-duty volunteers and open requests coloured by status; escalated
// and late ones pulse. Markers are small divs built with el(). Volunteers come per view from the server
// (GET /api/map/view): single markers when zoomed in, counts per square (clusters) when zoomed out; the page is
// told of every move of the view (onView) and draws what the store holds for it. Open requests are all in the store;
// past REQUEST_CLUSTERS_FROM of them (a flood) they are gathered by Leaflet.markercluster: a count per square when
// zoomed out, red when one in it is late or escalated, only those in view drawn, every pin reached by zooming in.
import { el, replace } from '/js/dom.js';
import { t } from '/js/i18n.js';
import { OPEN } from '/js/lifecycle.js';
import { bindTextTooltip, createMap } from '/js/map.js';
import { isLate } from '/js/coordinator-queue.js';

const L = () => window.L;

/** From how many open requests the map gathers them into counts; below REQUEST_CLUSTERS_UNTIL it draws each again. */
export const REQUEST_CLUSTERS_FROM = 300;
const REQUEST_CLUSTERS_UNTIL = 250;
/** From this zoom on, gathered requests stand as pins of their own (Leaflet.markercluster's disableClusteringAtZoom). */
const PINS_ALONE_AT = 17;

function requestIcon(request, selected) {
  const pin = el('div', {
    class: ['req-pin', `status-${request.status}`, request.escalated && 'escalated', isLate(request) && 'late', selected && 'selected'],
    dataset: { id: request.id, status: request.status },
    title: `${t(`category.${request.category}`)} · ${t(`status.${request.status}`)}`,
  });
  return L().divIcon({ html: pin, className: 'co-icon', iconSize: [22, 22], iconAnchor: [11, 20] });
}

function clusterIcon(cluster) {
  const size = cluster.count >= 1000 ? 44 : cluster.count >= 100 ? 36 : 28;
  const bubble = el('div', {
    class: 'vol-cluster',
    dataset: { count: String(cluster.count) },
    title: t('coordinator.map.cluster', { n: cluster.count }),
    style: { width: `${size}px`, height: `${size}px`, lineHeight: `${size}px` },
  }, String(cluster.count));
  return L().divIcon({ html: bubble, className: 'co-icon', iconSize: [size, size], iconAnchor: [size / 2, size / 2] });
}

/** A square's open requests: their count, red when one of them is late or escalated. */
function requestClusterIcon(cluster) {
  const markers = cluster.getAllChildMarkers();
  const count = markers.length;
  const size = count >= 1000 ? 46 : count >= 100 ? 38 : 30;
  const bubble = el('div', {
    class: ['req-cluster', markers.some(m => m.urgent) && 'urgent'],
    dataset: { count: String(count) },
    title: t('coordinator.map.requestCluster', { n: count }),
    style: { width: `${size}px`, height: `${size}px`, lineHeight: `${size}px` },
  }, String(count));
  return L().divIcon({ html: bubble, className: 'co-icon', iconSize: [size, size], iconAnchor: [size / 2, size / 2] });
}

function volunteerIcon(volunteer) {
  const dot = el('div', {
    class: ['vol-pin', volunteer.load > 0 && 'busy'],
    dataset: { id: volunteer.volunteerId },
    title: volunteer.name,
  });
  return L().divIcon({ html: dot, className: 'co-icon', iconSize: [16, 16], iconAnchor: [8, 8] });
}

const latLng = p => [p.lat, p.lon];

export async function createLiveMap(element, store, { onSelect, onView }) {
  const map = await createMap(element, { maxZoom: 19 });
  const stationLayer = L().layerGroup().addTo(map);
  const volunteerLayer = L().layerGroup().addTo(map);
  const clusterLayer = L().layerGroup().addTo(map);
  let requestLayer = L().layerGroup().addTo(map);
  let clustered = false;
  const stationMarkers = new Map();
  const volunteerMarkers = new Map();
  const requestMarkers = new Map();
  let selectedId = null;
  let fitted = false;

  function drawStations() {
    stationLayer.clearLayers();
    stationMarkers.clear();
    for (const station of store.stations.values()) {
      const circle = L().circle(latLng(station.position), {
        radius: station.circleRadiusM, color: '#c8102e', weight: 1, fillOpacity: 0.04, interactive: false,
      }).addTo(stationLayer);
      const marker = bindTextTooltip(L().circleMarker(latLng(station.position), {
        radius: 7, color: '#fff', weight: 2, fillColor: '#c8102e', fillOpacity: 1,
      }), station.name).on('click', () => onSelect({ kind: 'station', id: station.id })).addTo(stationLayer);
      stationMarkers.set(station.id, { circle, marker });
    }
  }

  function putVolunteer(volunteer) {
    let marker = volunteerMarkers.get(volunteer.volunteerId);
    if (!volunteer.onDuty || !volunteer.position) {
      if (marker) { volunteerLayer.removeLayer(marker); volunteerMarkers.delete(volunteer.volunteerId); }
      return;
    }
    if (!marker) {
      marker = L().marker(latLng(volunteer.position), { icon: volunteerIcon(volunteer), keyboard: false })
        .on('click', () => onSelect({ kind: 'volunteer', id: volunteer.volunteerId }));
      volunteerMarkers.set(volunteer.volunteerId, marker);
      volunteerLayer.addLayer(marker);
    } else {
      marker.setLatLng(latLng(volunteer.position));
      marker.setIcon(volunteerIcon(volunteer));
    }
  }

  /** The volunteers of the view the store holds now: single markers or clusters. */
  function drawVolunteers() {
    volunteerLayer.clearLayers();
    volunteerMarkers.clear();
    clusterLayer.clearLayers();
    for (const volunteer of store.volunteers.values()) putVolunteer(volunteer);
    for (const cluster of store.clusters) {
      L().marker(latLng(cluster.position), { icon: clusterIcon(cluster), keyboard: false })
        .on('click', () => map.fitBounds([[cluster.box.south, cluster.box.west], [cluster.box.north, cluster.box.east]]))
        .addTo(clusterLayer);
    }
  }

  // What a request's pin shows; the pin is drawn again only when this changes (thousands of open requests are redrawn
  // every few seconds for their late-ness, and most of them did not change).
  const pinKey = (request, selected) => [request.status, request.escalated, isLate(request), selected,
    t(`category.${request.category}`), t(`status.${request.status}`), request.position.lat, request.position.lon].join('|');

  const urgent = request => request.escalated || isLate(request);

  function requestMarker(request, selected, key) {
    const marker = L().marker(latLng(request.position), { icon: requestIcon(request, selected), zIndexOffset: 1000 })
      .on('click', () => onSelect({ kind: 'request', id: request.id }));
    marker.pinKey = key;
    marker.urgent = urgent(request);
    return marker;
  }

  /** The request layer for this many open requests: each pin, or gathered ones (with a margin, so it does not flap). */
  function requestLayerFor(count) {
    const gather = clustered ? count > REQUEST_CLUSTERS_UNTIL : count > REQUEST_CLUSTERS_FROM;
    if (gather === clustered) return;
    const markers = [...requestMarkers.values()];
    map.removeLayer(requestLayer);
    clustered = gather;
    requestLayer = gather
      ? L().markerClusterGroup({
        chunkedLoading: true, showCoverageOnHover: false, maxClusterRadius: 60, disableClusteringAtZoom: PINS_ALONE_AT,
        iconCreateFunction: requestClusterIcon,
      })
      : L().layerGroup();
    requestLayer.addTo(map);
    if (gather) requestLayer.addLayers(markers);
    else for (const marker of markers) requestLayer.addLayer(marker);
    document.body.dataset.requestClusters = String(gather);
  }

  // Gathered pins whose look changed: their squares are drawn again once per frame.
  let restyled = [];
  function restyle(marker) {
    if (!clustered) return;
    if (restyled.length === 0) requestAnimationFrame(() => { const changed = restyled; restyled = []; if (clustered) requestLayer.refreshClusters(changed); });
    restyled.push(marker);
  }

  function putRequest(request) {
    let marker = requestMarkers.get(request.id);
    const current = store.requests.get(request.id);
    if (!current) {
      if (marker) { requestLayer.removeLayer(marker); requestMarkers.delete(request.id); requestLayerFor(store.requests.size); }
      return;
    }
    const selected = current.id === selectedId;
    const key = pinKey(current, selected);
    if (!marker) {
      marker = requestMarker(current, selected, key);
      requestMarkers.set(current.id, marker);
      requestLayer.addLayer(marker);
      requestLayerFor(store.requests.size);
    } else if (marker.pinKey !== key) {
      const moved = !marker.getLatLng().equals(latLng(current.position));
      marker.pinKey = key;
      marker.urgent = urgent(current);
      // A gathered pin that moves is taken out and put back, so it lands in its new square.
      if (clustered && moved) requestLayer.removeLayer(marker);
      marker.setLatLng(latLng(current.position));
      marker.setIcon(requestIcon(current, selected));
      if (clustered && moved) requestLayer.addLayer(marker);
      else restyle(marker);
    }
  }

  function redrawAll() {
    drawStations();
    requestLayer.clearLayers();
    requestMarkers.clear();
    requestLayerFor(store.requests.size);
    const markers = [];
    for (const request of store.requests.values()) {
      const selected = request.id === selectedId;
      const marker = requestMarker(request, selected, pinKey(request, selected));
      requestMarkers.set(request.id, marker);
      markers.push(marker);
    }
    if (clustered) requestLayer.addLayers(markers);
    else for (const marker of markers) requestLayer.addLayer(marker);
    if (!fitted && store.stations.size > 0) {
      fitted = true;
      const bounds = L().latLngBounds([...store.stations.values()].map(s => latLng(s.position)));
      // Not animated: an animation still running would take the map back to the stations after the coordinator
      // (or a resync) has moved it.
      map.fitBounds(bounds.pad(0.3), { maxZoom: 15, animate: false });
    }
  }

  store.subscribe((kind, item) => {
    if (kind === 'reset') redrawAll();
    else if (kind === 'view') drawVolunteers();
    else if (kind === 'request') putRequest(item);
    else if (kind === 'volunteer') putVolunteer(item);
  });

  // Every pan and zoom asks for the volunteers of the new view (once it settles).
  let settle = null;
  map.on('moveend', () => {
    clearTimeout(settle);
    settle = setTimeout(() => onView?.(), 250);
  });

  // Late-ness changes with time alone: refresh request markers every few seconds.
  setInterval(() => { for (const request of store.requests.values()) putRequest(request); }, 5000);

  renderLegend(document.getElementById('map-legend'));

  return {
    map,
    select(id) {
      const previous = selectedId;
      selectedId = id;
      for (const rid of [previous, id]) if (rid && store.requests.has(rid)) putRequest(store.requests.get(rid));
    },
    /**
     * Shows the request: pans to its pin, and when the pins are gathered zooms in as far as the pin stands out of its
     * square. Not markercluster's zoomToShowLayer: where one zoom step is not enough it spreads the square's pins
     * around it ("spiderfy"), and the next request drawn anywhere folds them back — the chosen pin vanishes again.
     */
    focus(position, id) {
      const marker = id && requestMarkers.get(id);
      let zoom = map.getZoom();
      if (clustered && marker) {
        // The deepest square the pin is in (markercluster's __parent); below it the pin stands alone. A pin still
        // being added (chunked loading) has none yet: the zoom where none are gathered.
        const square = marker.__parent;
        zoom = Math.max(zoom, Math.min(PINS_ALONE_AT, square ? square._zoom + 1 : PINS_ALONE_AT));
      }
      map.setView(latLng(position), zoom);
    },
    /** The view to ask the server for: its box and zoom. */
    view() {
      const b = map.getBounds();
      const clamp = (v, limit) => Math.max(-limit, Math.min(limit, v));
      return {
        south: clamp(b.getSouth(), 90), west: clamp(b.getWest(), 180),
        north: clamp(b.getNorth(), 90), east: clamp(b.getEast(), 180), zoom: Math.round(map.getZoom()),
      };
    },
    redrawLegend() { renderLegend(document.getElementById('map-legend')); },
  };
}

function renderLegend(node) {
  if (!node) return;
  const item = (pin, key) => el('span', { class: 'co-legend-item' }, pin, el('span', { 'data-i18n': key }, t(key)));
  replace(node,
    ...OPEN.map(s =>
      item(el('span', { class: ['req-pin', `status-${s}`] }), `coordinator.map.legend.${s}`)),
    item(el('span', { class: 'req-pin late status-Offered', style: { animation: 'none' } }), 'coordinator.map.legend.late'),
    item(el('span', { class: 'req-cluster co-legend-cluster' }, 'n'), 'coordinator.map.legend.requestCluster'),
    item(el('span', { class: 'vol-pin' }), 'coordinator.map.legend.volunteer'));
}
