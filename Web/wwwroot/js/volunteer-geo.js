// Keeps the server told where the volunteer is while on duty.
// Sends on a significant move (>= 50 m) or every 60 s, whichever comes first, and never more often than every 10 s.
// When the browser will not locate (permission refused, no fix, no API), the page lets the volunteer pick a
// position on the map (setManual), which is then re-sent on the same 60 s rhythm.
import { distanceM } from '/js/volunteer-format.js';

export const MOVE_M = 50;
export const EVERY_MS = 60_000;
export const MIN_GAP_MS = 10_000;

/**
 * send({ lat, lon, accuracyM? }) -> Promise (rejects on failure; retried later)
 * onMode(mode): 'locating' | 'auto' | 'denied' | 'unavailable' | 'unsupported' | 'manual'
 * onSent(position, at): after every successful send
 */
/** @param {{ send: (position: any) => Promise<unknown>, onMode?: (mode: string) => void, onSent?: (position: any, at: Date) => void }} options */
export function createTracker({ send, onMode = () => {}, onSent = () => {} }) {
  let watchId = null;
  let timer = null;
  let pendingTimer = null;
  let latest = null;
  let lastSent = null;
  let lastSentAt = 0;
  let sending = false;
  let mode = null;
  let running = false;

  const setMode = next => {
    if (next === mode) return;
    mode = next;
    onMode(next);
  };

  async function sendNow() {
    if (!latest || sending || !running) return;
    sending = true;
    const position = latest;
    try {
      await send(position);
      lastSent = position;
      lastSentAt = Date.now();
      onSent(position, new Date(lastSentAt));
    } catch {
      // Offline or the server refused: the next tick tries again.
    } finally {
      sending = false;
    }
  }

  function consider() {
    if (!latest || !running) return;
    const since = Date.now() - lastSentAt;
    const due = !lastSent || since >= EVERY_MS || distanceM(lastSent, latest) >= MOVE_M;
    if (!due) return;
    if (lastSent && since < MIN_GAP_MS) {
      clearTimeout(pendingTimer);
      pendingTimer = setTimeout(consider, MIN_GAP_MS - since);
      return;
    }
    sendNow();
  }

  function onPosition(p) {
    if (mode === 'manual') return;
    latest = {
      lat: p.coords.latitude,
      lon: p.coords.longitude,
      accuracyM: Math.min(100_000, Math.max(0, Math.round(p.coords.accuracy ?? 0))),
    };
    setMode('auto');
    consider();
  }

  function onError(error) {
    if (mode === 'manual') return;
    if (error.code === 1) {
      stopWatching();
      setMode('denied');
    } else if (mode !== 'auto') {
      setMode('unavailable');
    }
  }

  function stopWatching() {
    if (watchId !== null) navigator.geolocation.clearWatch(watchId);
    watchId = null;
  }

  return {
    get mode() { return mode; },
    get latest() { return latest; },
    start() {
      if (running) return;
      running = true;
      timer = setInterval(consider, MIN_GAP_MS);
      if (mode === 'manual') {
        consider();
        return;
      }
      if (!('geolocation' in navigator)) {
        setMode('unsupported');
        return;
      }
      setMode('locating');
      watchId = navigator.geolocation.watchPosition(onPosition, onError,
        { enableHighAccuracy: true, maximumAge: MIN_GAP_MS, timeout: 20_000 });
    },
    stop() {
      running = false;
      stopWatching();
      clearInterval(timer);
      clearTimeout(pendingTimer);
      if (mode !== 'manual') mode = null;
    },
    /** The volunteer picked a position on the map: use it from now on and send it at once. */
    setManual(position) {
      stopWatching();
      latest = { lat: position.lat, lon: position.lon };
      setMode('manual');
      lastSent = null;
      lastSentAt = 0;
      return sendNow();
    },
  };
}
