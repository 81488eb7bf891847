// The live connection to /hubs/live (needs <script src="/lib/signalr/signalr.min.js"> before the module).
//   const live = connectLive({
//     on: { offer: e => ..., offerWithdrawn: e => ... },   // hub events, each at most once, in seq order
//     onState: state => header.setConnection(state),       // 'connecting' | 'connected' | 'reconnecting' | 'offline'
//     onResync: async () => { await reloadFromApi(); },    // after every (re)connect, and on the hub's `resync`
//   });
// Connects by WebSockets straight away (no negotiate request: a web node restart makes every page on it come back at
// once); when that fails — a proxy without WebSockets, or a session that ended, which a WebSocket handshake does not
// say — it negotiates as the client does by default (any transport; a 401 there goes to the login page) and keeps that.
// Reconnects forever (backoff 0.5 s doubling up to 10 s). Events carry a seq that grows on one connection;
// an event that reaches the connection through two groups comes twice with the same seq and is dropped.
// The seq restarts with a new connection (maybe to another web node), so it is reset on every (re)connect.
import { redirectToLogin } from '/js/api.js';

const MAX_DELAY_MS = 10_000;

function backoff(attempt) {
  const base = Math.min(MAX_DELAY_MS, 500 * 2 ** Math.min(attempt, 5));
  return base / 2 + Math.random() * (base / 2);
}

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

/**
 * @param {{
 *   on?: Record<string, (event: any) => void>,
 *   onState?: (state: string) => void,
 *   onResync?: () => Promise<void>,
 *   url?: string,
 * }} [options]
 */
export function connectLive({ on = {}, onState = () => {}, onResync = async () => {}, url = '/hubs/live' } = {}) {
  const signalR = window.signalR;
  if (!signalR) throw new Error('live.js needs /lib/signalr/signalr.min.js loaded first');

  /** @param {boolean} direct WebSockets without the negotiate request; otherwise as the client does by default. */
  const build = direct => new signalR.HubConnectionBuilder()
    .withUrl(url, direct ? { transport: signalR.HttpTransportType.WebSockets, skipNegotiation: true } : {})
    .withAutomaticReconnect({ nextRetryDelayInMilliseconds: ctx => backoff(ctx.previousRetryCount) })
    .configureLogging(signalR.LogLevel.Warning)
    .build();

  let direct = true;
  let connection = build(direct);
  let state = null;
  let lastSeq = 0;
  let stopped = false;

  const setState = next => {
    if (next === state) return;
    state = next;
    onState(next);
  };

  const resync = async () => {
    lastSeq = 0;
    setState('connected');
    try {
      await onResync();
    } catch (error) {
      console.error('live: resync failed', error);
    }
  };

  const startLoop = async () => {
    for (let attempt = 0; !stopped; attempt++) {
      try {
        await connection.start();
        await resync();
        return;
      } catch (error) {
        if (stopped) return;
        if (error?.statusCode === 401) {
          redirectToLogin();
          return;
        }
        if (direct) {
          // WebSockets straight away did not work: negotiate from now on (at once, no wait for this switch).
          direct = false;
          connection = build(direct);
          wire(connection);
          attempt--;
          continue;
        }
        setState('offline');
        await sleep(backoff(attempt));
      }
    }
  };

  /** The page's handlers and the reconnect logic on a connection (the first, or the negotiated one). */
  function wire(target) {
    for (const [name, handler] of Object.entries(on)) {
      target.on(name, event => {
        const seq = event?.seq;
        if (typeof seq === 'number') {
          if (seq <= lastSeq) return;
          lastSeq = seq;
        }
        handler(event);
      });
    }
    // The web node may have missed events for this connection (a silo died): re-read as after a reconnect.
    target.on('resync', () => resync());
    target.onreconnecting(() => setState('reconnecting'));
    target.onreconnected(() => resync());
    target.onclose(() => {
      if (stopped || target !== connection) return;
      setState('offline');
      startLoop();
    });
  }

  wire(connection);
  setState('connecting');
  const started = startLoop();

  return {
    /** The connection in use (the direct one, or the negotiated one after a fallback). */
    get connection() { return connection; },
    /** Resolves after the first successful connect and resync. */
    started,
    get state() { return state; },
    get lastSeq() { return lastSeq; },
    /** Drops later events with seq <= seq (already contained in a snapshot that reported it). */
    ignoreThrough(seq) { lastSeq = Math.max(lastSeq, seq); },
    async stop() {
      stopped = true;
      await connection.stop();
      setState('offline');
    },
  };
}
