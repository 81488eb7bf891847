// The live map: stations with their circles, on-duty volunteers and open requests coloured by status; escalated
// and late ones pulse. Markers are small divs built with el(). Volunteers come per view from the server
// (GET /api/map/view): single markers when zoomed in, counts per square (clusters) when zoomed out; the page is
// told of every move of the view (onView) and draws what the store holds for it.
import { el, replace } from '/js/dom.js';
import { t } from '/js/i18n.js';
import { OPEN } from '/js/lifecycle.js';
import { bindTextTooltip, createMap } from '/js/map.js';
import { isLate } from '/js/coordinator-queue.js';

const L = () => window.L;

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
  const requestLayer = L().layerGroup().addTo(map);
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

  function putRequest(request) {
    let marker = requestMarkers.get(request.id);
    if (!store.requests.has(request.id)) {
      if (marker) { requestLayer.removeLayer(marker); requestMarkers.delete(request.id); }
      return;
    }
    const current = store.requests.get(request.id);
    const selected = current.id === selectedId;
    const key = pinKey(current, selected);
    if (!marker) {
      marker = L().marker(latLng(current.position), { icon: requestIcon(current, selected), zIndexOffset: 1000 })
        .on('click', () => onSelect({ kind: 'request', id: current.id }));
      marker.pinKey = key;
      requestMarkers.set(current.id, marker);
      marker.addTo(requestLayer);
    } else if (marker.pinKey !== key) {
      marker.pinKey = key;
      marker.setLatLng(latLng(current.position));
      marker.setIcon(requestIcon(current, selected));
    }
  }

  function redrawAll() {
    drawStations();
    requestLayer.clearLayers();
    requestMarkers.clear();
    for (const request of store.requests.values()) putRequest(request);
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
    focus(position) { map.panTo(latLng(position)); },
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
    item(el('span', { class: 'vol-pin' }), 'coordinator.map.legend.volunteer'));
}
