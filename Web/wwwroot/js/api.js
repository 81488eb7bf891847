// Calls to the REST API: api('POST', '/api/requests', body, { headers: { 'Idempotency-Key': key } }).
// Answers parsed JSON (null for 204). A failure throws ApiError with the ProblemDetails; a 401 sends the
// browser to the login page first (pass { redirectOn401: false } to handle it yourself).
import { maybeT, t } from '/js/i18n.js';

/** A failed API call: status 0 = no answer (network), else the HTTP status and its ProblemDetails. */
export class ApiError extends Error {
  constructor(status, problem = {}) {
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
  }
}

/** Sends the browser to /login, coming back to the current page afterwards. */
export function redirectToLogin() {
  const here = location.pathname + location.search;
  location.assign(`/login?returnUrl=${encodeURIComponent(here)}`);
}

export async function api(method, path, body, { headers = {}, redirectOn401 = true, signal } = {}) {
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
  throw new ApiError(response.status, payload && typeof payload === 'object' ? payload : {});
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
