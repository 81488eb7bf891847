// The coordinator page's picture of the world: stations, on-duty volunteers and open requests, from the
// snapshot and then from hub events. Listeners get ('reset') after a snapshot, ('request', r) and ('volunteer', v).
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
  const listeners = new Set();
  const emit = (kind, item) => { for (const listener of listeners) listener(kind, item); };

  return {
    stations, volunteers, requests,
    subscribe(listener) { listeners.add(listener); return () => listeners.delete(listener); },

    /**
     * Replaces everything with a GET /api/map/snapshot answer.
     * @param {MapSnapshot} snapshot
     */
    load(snapshot) {
      stations.clear(); volunteers.clear(); requests.clear();
      for (const s of snapshot.stations) stations.set(s.id, s);
      for (const v of snapshot.volunteers) if (v.onDuty && v.position) volunteers.set(v.volunteerId, v);
      for (const r of snapshot.requests) if (isOpen(r.status)) requests.set(r.id, r);
      emit('reset');
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
     * volunteerMoved / volunteerDuty: merged into what the snapshot said; off duty leaves the map.
     * @param {Partial<MapVolunteer> & { volunteerId: string, onDuty: boolean }} event
     */
    applyVolunteer(event) {
      const known = volunteers.get(event.volunteerId);
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
