// Importing volunteers from a CSV file: POST /api/volunteers/import (text/csv), then the report of rejected rows.
import { ApiError, errorText, newKey, redirectToLogin } from '/js/api.js';
import { el, replace } from '/js/dom.js';
import { t } from '/js/i18n.js';

export function importSection({ onImported }) {
  // One key per file chosen: sending it again after an error (a 503 part-way) makes no volunteer twice.
  let key = newKey();
  const file = el('input', { type: 'file', id: 'import-file', accept: '.csv,text/csv', onchange: () => { key = newKey(); } });
  const report = el('div', { id: 'import-report', 'aria-live': 'polite' });

  async function submit(event) {
    event.preventDefault();
    const chosen = file.files?.[0];
    if (!chosen) { replace(report, el('p', { class: 'error' }, t('coordinator.import.noFile'))); return; }
    try {
      const response = await fetch('/api/volunteers/import', {
        method: 'POST', credentials: 'same-origin',
        headers: { 'Content-Type': 'text/csv', Accept: 'application/json', 'Idempotency-Key': key },
        body: await chosen.text(),
      });
      if (response.status === 401) { redirectToLogin(); return; }
      const body = await response.json().catch(() => ({}));
      if (!response.ok) throw new ApiError(response.status, body);
      replace(report,
        el('p', { class: body.rejected.length ? 'notice' : 'notice', id: 'import-summary' },
          t('coordinator.import.result', { imported: body.imported, rejected: body.rejected.length })),
        el('ul', { class: 'co-import-report' }, body.rejected.map(r =>
          el('li', { dataset: { line: r.line } }, el('strong', {}, t('coordinator.import.line', { line: r.line })), ' ', r.reason))));
      file.value = '';
      key = newKey();
      onImported();
    } catch (error) {
      replace(report, el('p', { class: 'error' }, errorText(error)));
    }
  }

  return el('section', { class: 'card' },
    el('h3', {}, t('coordinator.import.title')),
    el('p', { class: 'muted' }, t('coordinator.import.help')),
    el('form', { class: 'row', id: 'import-form', onsubmit: submit },
      el('label', { for: 'import-file' }, t('coordinator.import.file')), file,
      el('button', { type: 'submit', class: 'btn primary', id: 'import-submit' }, t('coordinator.import.submit'))),
    report);
}
