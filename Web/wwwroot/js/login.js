// The login page: POST /api/auth/login, then back to returnUrl (a local path) or / (the page of the role).
import { api, ApiError, errorText } from '/js/api.js';
import { $, show } from '/js/dom.js';
import { addTranslations, applyTranslations, languageSwitch, t } from '/js/i18n.js';
import login from '/i18n/login.js';

addTranslations(login);
applyTranslations(document);
$('#lang-slot').append(languageSwitch());

const form = $('#login-form');
const error = $('#login-error');
const submit = $('#login-submit');

/**
 * The page to go back to: a path on this site, never another host. The text is resolved the way the browser
 * will resolve it (which drops tabs and line breaks and reads "\" as "/", so "/\t/evil.example" and
 * "/\evil.example" mean "//evil.example"), and only a result on this origin is kept whose path, decoded, has no
 * control character, backslash or leading "//"; anything else goes to "/".
 */
export function returnUrl(search = location.search) {
  const params = new URLSearchParams(search);
  const url = params.get('returnUrl') ?? params.get('ReturnUrl');
  // eslint-disable-next-line no-control-regex -- control characters are what it refuses
  if (!url || !url.startsWith('/') || /[\u0000-\u001f\u007f\\]/.test(url)) return '/';
  let target;
  try { target = new URL(url, location.origin); } catch { return '/'; }
  if (target.origin !== location.origin || target.pathname.startsWith('/login')) return '/';
  // Nor once more decoded: "/%09/evil.example" or "/%2F%2Fevil.example" is no page of ours either.
  let decoded;
  try { decoded = decodeURIComponent(target.pathname); } catch { return '/'; }
  // eslint-disable-next-line no-control-regex -- control characters are what it refuses
  if (decoded.startsWith('//') || /[\u0000-\u001f\u007f\\]/.test(decoded)) return '/';
  return target.pathname + target.search + target.hash;
}

/** A wait in seconds as the page's language says it: "45 秒" / "45 s" under a minute, else whole minutes. */
function waitText(seconds) {
  const s = Math.max(1, Math.ceil(seconds ?? 60));
  return s < 60 ? t('login.seconds', { n: s }) : t('login.minutes', { n: Math.ceil(s / 60) });
}

function showError(key, text) {
  error.dataset.i18n = key ?? '';
  error.textContent = key ? t(key) : text;
  show(error);
}

form.addEventListener('submit', async event => {
  event.preventDefault();
  show(error, false);
  const body = { login: form.login.value.trim(), password: form.password.value };
  if (!body.login || !body.password) {
    showError('login.required');
    return;
  }
  submit.disabled = true;
  submit.dataset.i18n = 'login.submitting';
  applyTranslations(submit);
  try {
    await api('POST', '/api/auth/login', body, { redirectOn401: false });
    location.assign(returnUrl());
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) showError('login.wrongCredentials');
    else if (e instanceof ApiError && e.status === 403) showError('login.disabled');
    else if (e instanceof ApiError && e.status === 429) {
      // Wrong passwords for this name (a growing wait), or too many attempts from this address (the rate limit).
      const key = e.problem?.title === 'Too many failed logins.' ? 'login.tooMany' : 'login.tooManyAttempts';
      showError(null, t(key, { wait: waitText(e.problem?.retryAfterSeconds) }));
    }
    else if (e instanceof ApiError && e.status === 400) showError('login.required');
    else if (e instanceof ApiError && e.status === 0) showError('error.network');
    else showError(null, errorText(e));
    form.password.select();
  } finally {
    submit.disabled = false;
    submit.dataset.i18n = 'login.submit';
    applyTranslations(submit);
  }
});
