// Calls to the REST API: api('POST', '/api/requests', body, { headers: { 'Idempotency-Key': key } }).
// Answers parsed JSON (null for 204). A failure throws ApiError with the ProblemDetails; a 401 sends the
// browser to the login page first (pass { redirectOn401: false } to handle it yourself).
// A 503 (storage or cluster briefly unavailable) is tried again after its Retry-After, up to `retries` times:
// 3 for GET by default, 0 otherwise; pass { retries: 3 } only for calls that are safe to repeat (a claim, a
// status report with the same target, a POST with an Idempotency-Key). What the user typed is never touched.
import { maybeT, t } from '/js/i18n.js';

/** A failed API call: status 0 = no answer (network), else the HTTP status and its ProblemDetails. */
export class ApiError extends Error {
  /**
   * @param {number} status
   * @param {import('../../types/api').Problem} [problem]
   * @param {number | null} [retryAfter]
   */
  constructor(status, problem = {}, retryAfter = null) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
    this.title = problem.title ?? null;
    this.detail = problem.detail ?? null;
    /** { field: [messages] } for validation failures, else {}. */
    this.errors = problem.errors ?? {};
    /** The JSON path of an unreadable field, if the server named one. */
    this.field = problem.field ?? null;
    /** Seconds the server asked to wait before trying again (a 503's Retry-After), else null. */
    this.retryAfter = retryAfter;
  }

  /** A fault a retry can cure: the server could not reach its storage or cluster, nothing was decided. */
  get isTemporary() { return this.status === 503; }
}

/** Longest wait between automatic retries, whatever Retry-After says. */
const MAX_RETRY_DELAY_MS = 10_000;

/** The delay a response asks for (Retry-After in seconds), default 2 s, at most MAX_RETRY_DELAY_MS. */
export function retryDelayMs(retryAfter) {
  const seconds = Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter : 2;
  return Math.min(MAX_RETRY_DELAY_MS, seconds * 1000);
}

function wait(ms, signal) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason ?? new DOMException('Aborted', 'AbortError'));
    }, { once: true });
  });
}

/**
 * Does on the live connection what an API request does, when the connection is up: the hub's Claim and ReportPosition
 * answer a LiveReply — the status and body the API would have given. A 4xx is the same ApiError api() throws; when the
 * connection is down, drops while asking, or the answer is 503, the API request is made instead (with its retries).
 * @param {{ state: string, invoke: (method: string, ...args: unknown[]) => Promise<any> } | null | undefined} connection
 * @param {string} method
 * @param {unknown[]} args
 * @param {() => Promise<any>} viaApi
 * @returns {Promise<any>}
 */
export async function viaLive(connection, method, args, viaApi) {
  if (connection?.state === 'Connected') {
    /** @type {import('../../types/api').LiveReply | null} */
    let reply = null;
    try {
      reply = await connection.invoke(method, ...args);
    } catch {
      // The connection dropped while asking (the act may have been done: both are safe to repeat).
    }
    if (reply && typeof reply.status === 'number' && reply.status !== 503) {
      if (reply.status < 400) return reply.body ?? null;
      const problem = reply.body && typeof reply.body === 'object' ? reply.body : {};
      throw new ApiError(reply.status, problem, reply.retryAfterSeconds ?? null);
    }
  }
  return viaApi();
}

/** Sends the browser to /login, coming back to the current page afterwards. */
export function redirectToLogin() {
  const here = location.pathname + location.search;
  location.assign(`/login?returnUrl=${encodeURIComponent(here)}`);
}

/**
 * Calls the API and answers the JSON body (null when there is none); throws ApiError for an error status. A
 * temporary failure (503, network) is tried again: GETs three times unless retries says otherwise.
 * @param {string} method
 * @param {string} path
 * @param {unknown} [body]
 * @param {{ headers?: Record<string, string>, redirectOn401?: boolean, signal?: AbortSignal, retries?: number }} [options]
 * @returns {Promise<any>}
 */
export async function api(method, path, body, { headers = {}, redirectOn401 = true, signal, retries } = {}) {
  const allowed = retries ?? (method === 'GET' ? 3 : 0);
  for (let attempt = 0; ; attempt++) {
    try {
      return await send(method, path, body, { headers, redirectOn401, signal });
    } catch (error) {
      if (!(error instanceof ApiError) || !error.isTemporary || attempt >= allowed) throw error;
      await wait(retryDelayMs(error.retryAfter), signal);
    }
  }
}

async function send(method, path, body, { headers, redirectOn401, signal }) {
  /** @type {RequestInit & { headers: Record<string, string> }} */
  const init = { method, credentials: 'same-origin', headers: { Accept: 'application/json', ...headers }, signal };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (error) {
    if (error.name === 'AbortError') throw error;
    throw new ApiError(0, { title: t('error.network') });
  }
  const payload = await readBody(response);
  if (response.ok) return payload;
  if (response.status === 401 && redirectOn401) redirectToLogin();
  const retryAfter = Number.parseInt(response.headers.get('Retry-After') ?? '', 10);
  throw new ApiError(response.status, payload && typeof payload === 'object' ? payload : {},
    Number.isFinite(retryAfter) ? retryAfter : null);
}

async function readBody(response) {
  if (response.status === 204) return null;
  const type = response.headers.get('Content-Type') ?? '';
  if (type.includes('json')) {
    try { return await response.json(); } catch { return null; }
  }
  const text = await response.text();
  return text === '' ? null : text;
}

/** A sentence to show for an error: the server's detail, else a translated word for its status. */
export function errorText(error) {
  if (!(error instanceof ApiError)) return t('error.generic');
  switch (error.status) {
    case 0: return t('error.network');
    case 401: return t('error.unauthorized');
    case 403: return t('error.forbidden');
    // The server's words name storage and clusters; the reader only needs to know to try again.
    case 503: return t('error.unavailable');
    case 400: {
      // Field rules broken: say which fields in the reader's language (the server's detail is English).
      const fields = Object.keys(error.errors ?? {});
      if (fields.length === 0) return error.detail || error.title || t('error.validation');
      const names = fields.map(f => {
        const key = f.replace(/\[\d+\]/g, '').split('.').pop();
        const camel = key.charAt(0).toLowerCase() + key.slice(1);
        return maybeT(`field.${camel}`) ?? f;
      });
      return t('error.validationFields', { fields: [...new Set(names)].join(t('list.separator')) });
    }
    default: return error.detail || error.title || t('error.generic');
  }
}

/** A new idempotency key: crypto.randomUUID where the page is a secure context, else random bytes. */
export function newKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return [...bytes].map(b => b.toString(16).padStart(2, '0')).join('');
}
