// The bar at the top of every signed-in page: app name, page title, user name, language switch,
// connection badge and logout.
//   const header = await renderHeader(document.getElementById('app-header'), { titleKey: 'volunteer.title' });
//   (logoutBody: what the logout tells the server, e.g. this browser's push endpoint, for it to forget with the session;
//   afterLogout: an async clean-up run once the server has ended the session, given at most 3 s, e.g. the browser's
//   own push subscription; nothing is undone while the session is still alive)
//   header.me            // GET /api/me: { id, login, name, roles, volunteerId }
//   header.setConnection // pass it to connectLive({ onState: header.setConnection })
import { api } from '/js/api.js';
import { el, replace } from '/js/dom.js';
import { applyTranslations, languageSwitch } from '/js/i18n.js';

/** A badge showing a live connection state; setConnectionBadge(badge, state) updates it. */
export function connectionBadge(state = 'connecting') {
  const badge = el('span', { class: 'conn-badge', role: 'status', 'aria-live': 'polite' });
  setConnectionBadge(badge, state);
  return badge;
}

export function setConnectionBadge(badge, state) {
  badge.className = `conn-badge conn-${state}`;
  badge.dataset.state = state;
  badge.dataset.i18n = `conn.${state}`;
  applyTranslations(badge);
}

/**
 * Logs out and goes to the login page. The server ends the session before it answers (and forgets the push devices
 * the session subscribed); when it cannot (503 after retries, the network gone) the page stays as it was and `problem`
 * says so, for the session is still alive. Only then `afterLogout` (at most 3 s, its failure ignored). `logoutBody`
 * gives what the server is told with it (at most 3 s; none if it fails).
 * @param {{ afterLogout?: () => Promise<void> | void, logoutBody?: () => Promise<object | undefined> }} steps
 * @param {HTMLElement | undefined} problem
 */
export async function logout({ afterLogout, logoutBody }, problem) {
  const body = logoutBody
    ? await Promise.race([Promise.resolve().then(logoutBody).catch(() => undefined), new Promise(resolve => setTimeout(() => resolve(undefined), 3_000))])
    : undefined;
  try {
    await api('POST', '/api/auth/logout', body, { redirectOn401: false, retries: 3 });
  } catch {
    if (problem) problem.hidden = false;
    return;
  }
  if (afterLogout) {
    await Promise.race([Promise.resolve().then(afterLogout).catch(() => {}), new Promise(resolve => setTimeout(resolve, 3_000))]);
  }
  location.assign('/login');
}

/**
 * @param {HTMLElement} container
 * @param {{ titleKey?: string, showConnection?: boolean, afterLogout?: () => Promise<void> | void, logoutBody?: () => Promise<object | undefined> }} [options]
 */
export async function renderHeader(container, { titleKey, showConnection = true, afterLogout, logoutBody } = {}) {
  const me = await api('GET', '/api/me');
  const badge = showConnection ? connectionBadge() : null;
  const logoutProblem = el('span', { class: 'logout-problem', role: 'alert', 'data-i18n': 'auth.logoutFailed', hidden: true });
  replace(container,
    el('div', { class: 'app-header-title' },
      el('span', { class: 'app-name', 'data-i18n': 'app.name' }),
      titleKey && el('span', { class: 'page-title', 'data-i18n': titleKey })),
    el('div', { class: 'app-header-tools' },
      badge,
      el('span', { class: 'user-name' }, me.name),
      languageSwitch(),
      el('button', { type: 'button', class: 'btn', 'data-i18n': 'auth.logout', onclick: () => logout({ afterLogout, logoutBody }, logoutProblem) }),
      logoutProblem));
  container.classList.add('app-header');
  applyTranslations(container);
  return {
    me,
    connectionBadge: badge,
    setConnection: state => badge && setConnectionBadge(badge, state),
  };
}
