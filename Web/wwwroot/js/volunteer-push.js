// Web Push on the volunteer page (issue #13): while on duty the page offers to turn notifications on (a button: the
// browser's permission prompt only ever follows a tap), subscribes this browser with the server's VAPID key and
// hands the subscription to the server; logging out unsubscribes it. It also keeps the small notes the service
// worker reads (offers this page already showed, so a push for them does not alert twice; the chosen language).
import { api } from '/js/api.js';

const NOTES = 'outreach-push-notes';
const SUBSCRIPTIONS = '/api/volunteers/me/push-subscriptions';

export const pushSupported = () =>
  'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window && 'caches' in window;

/** Notes that this page showed the offer (the service worker then does not alert for its push). */
export async function noteSeen(requestId) {
  try {
    const cache = await caches.open(NOTES);
    await cache.put(`/seen/${requestId}`, new Response(String(Date.now())));
  } catch {
    // Only a second alert is at stake.
  }
}

/** Whether a page or the service worker already alerted for the offer. */
export async function alreadySeen(requestId) {
  try {
    const cache = await caches.open(NOTES);
    return Boolean(await cache.match(`/seen/${requestId}`));
  } catch {
    return false;
  }
}

/** Tells the service worker which language its notifications speak. */
export async function rememberLanguage(lang) {
  try {
    const cache = await caches.open(NOTES);
    await cache.put('/prefs/lang', new Response(lang));
  } catch {
    // Chinese, then.
  }
}

function keyBytes(base64url) {
  const base64 = base64url.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(base64url.length / 4) * 4, '=');
  return Uint8Array.from(atob(base64), c => c.charCodeAt(0));
}

function sameKey(buffer, base64url) {
  if (!buffer) return false;
  const a = new Uint8Array(buffer);
  const b = keyBytes(base64url);
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * The notifications switch: render(onDuty) shows the offer (or why there is none); enable() runs from a tap;
 * endpointHere() for the logout to forget, unsubscribeHere() after it. onChange(state) is told 'unsupported' | 'off' | 'denied' | 'busy' | 'on' | 'failed'.
 */
/** @param {{ onChange?: (state: string) => void }} [options] */
export function createPush({ onChange = () => {} } = {}) {
  let state = pushSupported() ? 'off' : 'unsupported';

  const set = next => {
    state = next;
    onChange(state);
  };

  async function subscribe() {
    const registration = await navigator.serviceWorker.ready;
    const { publicKey } = await api('GET', '/api/push/vapid-public-key');
    let subscription = await registration.pushManager.getSubscription();
    if (subscription && !sameKey(subscription.options?.applicationServerKey, publicKey)) {
      await subscription.unsubscribe();
      subscription = null;
    }
    subscription ??= await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(publicKey) });
    // 201 the first time, 200 when the server had it: either way it is kept now.
    await api('POST', SUBSCRIPTIONS, subscription.toJSON(), { retries: 3 });
  }

  async function attempt() {
    set('busy');
    try {
      await subscribe();
      set('on');
    } catch {
      // No push service reachable (many phones sold in mainland China have none), or the server refused.
      set('failed');
    }
  }

  return {
    get state() { return state; },
    /** On duty: keeps an existing subscription known to the server, else offers to turn notifications on. */
    async refresh(onDuty) {
      if (state === 'unsupported' || state === 'busy') return;
      if (!onDuty) {
        onChange(state);
        return;
      }
      if (Notification.permission === 'denied') {
        set('denied');
        return;
      }
      if (Notification.permission === 'granted') {
        await attempt(); // permission given before: no prompt, nothing to ask
        return;
      }
      set('off');
    },
    /** From a tap: asks the browser for permission, then subscribes. */
    async enable() {
      if (state === 'unsupported' || state === 'busy') return;
      let permission = Notification.permission;
      if (permission === 'default') {
        try {
          permission = await Notification.requestPermission();
        } catch {
          permission = 'default';
        }
      }
      if (permission === 'denied') {
        set('denied');
        return;
      }
      if (permission !== 'granted') {
        set('off');
        return;
      }
      await attempt();
    },
    /** This browser's push endpoint, if it has a subscription: the logout has the server forget it with the session. */
    async endpointHere() {
      if (state === 'unsupported') return undefined;
      try {
        const registration = await navigator.serviceWorker.getRegistration();
        return (await registration?.pushManager.getSubscription())?.endpoint;
      } catch {
        return undefined;
      }
    },
    /**
     * After logout: the server has forgotten the devices of the session that ended; the browser drops its subscription
     * too. Not before: a logout that fails leaves the volunteer signed in, and their offers must still reach this phone.
     */
    async unsubscribeHere() {
      if (state === 'unsupported') return;
      try {
        const registration = await navigator.serviceWorker.getRegistration();
        const subscription = await registration?.pushManager.getSubscription();
        await subscription?.unsubscribe();
      } catch {
        // Gone from the server already: a push to it would find no device.
      }
    },
  };
}
