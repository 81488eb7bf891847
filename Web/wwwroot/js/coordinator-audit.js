// The audit tab (administrators only): who read or changed personal data, newest first (GET /api/audit), filtered
// by subject (a file's or request's id), actor (login or account id) and a time range; 50 rows a page.
import { api, errorText } from '/js/api.js';
import { el, replace } from '/js/dom.js';
import { t } from '/js/i18n.js';
import { flash, labelled } from '/js/coordinator-format.js';
import { when } from '/js/format.js';

const PAGE_SIZE = 50;

export function createAudit(container) {
  let result = { items: [], page: 1, hasMore: false };
  const inputs = {
    subject: el('input', { name: 'subject', id: 'audit-subject', maxlength: 36, autocomplete: 'off' }),
    actor: el('input', { name: 'actor', id: 'audit-actor', maxlength: 64, autocomplete: 'off' }),
    from: el('input', { name: 'from', id: 'audit-from', type: 'datetime-local' }),
    to: el('input', { name: 'to', id: 'audit-to', type: 'datetime-local' }),
  };
  const table = el('div', { class: 'co-table-wrap' });
  const pager = el('div', { class: 'co-form-actions', id: 'audit-pager' });

  function query(page) {
    const params = new URLSearchParams({ page: String(page), pageSize: String(PAGE_SIZE) });
    for (const name of ['subject', 'actor']) if (inputs[name].value.trim()) params.set(name, inputs[name].value.trim());
    // datetime-local is the browser's local time; the API wants an offset.
    for (const name of ['from', 'to']) if (inputs[name].value) params.set(name, new Date(inputs[name].value).toISOString());
    return params;
  }

  async function load(page = 1) {
    try {
      result = await api('GET', `/api/audit?${query(page)}`);
      render();
    } catch (error) {
      flash(errorText(error), true);
    }
  }

  function render() {
    replace(container, el('section', { class: 'card' },
      el('div', { class: 'co-section-head' }, el('h2', {}, t('coordinator.audit.title'))),
      el('p', { class: 'muted' }, t('coordinator.audit.help')),
      el('form', { class: 'co-form', id: 'audit-form', novalidate: true, onsubmit: event => { event.preventDefault(); load(1); } },
        labelled('coordinator.audit.subject', inputs.subject), labelled('coordinator.audit.actor', inputs.actor),
        labelled('coordinator.audit.from', inputs.from), labelled('coordinator.audit.to', inputs.to),
        el('div', { class: 'co-form-actions' }, el('button', { type: 'submit', class: 'btn primary' }, t('coordinator.audit.search')))),
      table, pager));
    replace(table, result.items.length
      ? el('table', { class: 'co-table', id: 'audit-table' },
        el('thead', {}, el('tr', {}, ['coordinator.audit.at', 'coordinator.audit.who', 'coordinator.audit.roles',
          'coordinator.audit.action', 'coordinator.audit.subject', 'coordinator.audit.detail'].map(k => el('th', {}, t(k))))),
        el('tbody', {}, result.items.map(row => el('tr', { dataset: { action: row.action } },
          el('td', {}, when(row.at)),
          el('td', {}, row.actorLogin ? `${row.actorName ?? ''} (${row.actorLogin})` : (row.actorName ?? '')),
          el('td', {}, row.actorRoles.split(',').filter(Boolean).map(r => t(`role.${r}`)).join('、')),
          el('td', {}, t(`coordinator.audit.kind.${row.action}`)),
          el('td', { class: 'mono' }, row.subjectId ?? ''),
          el('td', {}, row.detail ?? '')))))
      : el('p', { class: 'muted', id: 'audit-empty' }, t('coordinator.audit.empty')));
    replace(pager,
      el('button', { type: 'button', class: 'btn', id: 'audit-newer', disabled: result.page <= 1, onclick: () => load(result.page - 1) },
        t('coordinator.audit.newer')),
      el('span', { class: 'muted' }, t('coordinator.audit.page', { n: result.page })),
      el('button', { type: 'button', class: 'btn', id: 'audit-older', disabled: !result.hasMore, onclick: () => load(result.page + 1) },
        t('coordinator.audit.older')));
  }

  return { load: () => load(result.page || 1), rerender: render };
}
