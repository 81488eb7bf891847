// The coordinator page's picture of the world: stations and open requests from the snapshot, the on-duty
// volunteers of the map's view (single ones or clusters) from GET /api/map/view, then hub events on top.
// Listeners get ('reset') after a snapshot, ('view') after a view, ('request', r) and ('volunteer', v).
import { isOpen } from '/js/lifecycle.js';

/** @typedef {import('../../types/api').MapSnapshot} MapSnapshot */
/** @typedef {import('../../types/api').MapVolunteer} MapVolunteer */
/** @typedef {import('../../types/api').RequestView} RequestView */
/** @typedef {import('../../types/api').Station} Station */

export function createStore() {
  /** @type {Map<string, Station>} */
  const stations = new Map();
  /** @type {Map<string, MapVolunteer>} */
  const volunteers = new Map();
  /** @type {Map<string, RequestView>} */
  const requests = new Map();
  let view = null; // { mode, box, seq }
  let clusters = [];
  const listeners = new Set();
  const emit = (kind, item) => { for (const listener of listeners) listener(kind, item); };

  return {
    stations, volunteers, requests,
    get view() { return view; },
    get clusters() { return clusters; },
    subscribe(listener) { listeners.add(listener); return () => listeners.delete(listener); },

    /**
     * Replaces the stations and requests with the GET /api/map/snapshot pages' answers.
     * @param {Pick<MapSnapshot, 'stations' | 'requests'>} snapshot
     */
    load(snapshot) {
      stations.clear(); requests.clear();
      for (const s of snapshot.stations) stations.set(s.id, s);
      for (const r of snapshot.requests) if (isOpen(r.status)) requests.set(r.id, r);
      emit('reset');
    },

    /** Replaces the volunteers with a GET /api/map/view answer: its markers, or its clusters. */
    loadView(answer) {
      view = { mode: answer.mode, box: answer.box, seq: answer.seq, total: answer.total };
      volunteers.clear();
      for (const v of answer.volunteers) if (v.position) volunteers.set(v.volunteerId, v);
      clusters = answer.clusters;
      emit('view');
    },

    /**
     * A requestUpdated event (or an action's answer): newer versions only; closed requests leave the map.
     * @param {RequestView} request
     */
    applyRequest(request) {
      const known = requests.get(request.id);
      if (known && known.version >= request.version) return;
      if (isOpen(request.status)) requests.set(request.id, request);
      else if (known) requests.delete(request.id);
      else return;
      emit('request', request);
    },

    /**
     * volunteersMoved (each item) / volunteerDuty: merged into what the view said; off duty or out of the view leaves
     * the map. Ignored while the view shows clusters (it is asked again instead).
     * @param {Partial<MapVolunteer> & { volunteerId: string, onDuty: boolean }} event
     */
    applyVolunteer(event) {
      if (view?.mode !== 'markers') return;
      const known = volunteers.get(event.volunteerId);
      const p = event.position;
      const inView = p && p.lat >= view.box.south && p.lat <= view.box.north && p.lon >= view.box.west && p.lon <= view.box.east;
      if (event.onDuty && !inView) event = { ...event, onDuty: false };
      if (known && known.at && event.at && Date.parse(event.at) < Date.parse(known.at)) return;
      if (!event.onDuty) {
        if (!known) return;
        volunteers.delete(event.volunteerId);
        emit('volunteer', { ...known, onDuty: false });
        return;
      }
      const next = { ...(known ?? { skills: [], load: 0, capacity: 1 }), ...event, position: event.position ?? known?.position };
      if (!next.position) return;
      volunteers.set(event.volunteerId, next);
      emit('volunteer', next);
    },
  };
}
