// The service hours tab (志愿时长, issue #16): totals per volunteer and per station for a period (China days), each
// volunteer's certificate, the export of the period's records as CSV or an Excel workbook, and the records
// themselves, each of which the coordinator can correct with a reason (PUT /api/service-records/{id}; the API's
// 400 shows by the field it names and nothing changes).
import { api, ApiError, errorText } from '/js/api.js';
import { el, replace, show } from '/js/dom.js';
import { t } from '/js/i18n.js';
import { chinaToday, dateTime } from '/js/format.js';
import { flash, labelled } from '/js/coordinator-format.js';
import { correctionBody, minutesText } from '/js/service-correction.js';

/** @typedef {import('../../types/api').ServiceRecord} ServiceRecord */

export function createHours(container) {
  let report = null;
  const today = chinaToday();
  const inputs = {
    from: el('input', { name: 'from', id: 'hours-from', type: 'date', value: `${today.slice(0, 8)}01` }),
    to: el('input', { name: 'to', id: 'hours-to', type: 'date', value: today }),
  };
  const body = el('div', { id: 'hours-report' });

  const period = () => new URLSearchParams({ from: inputs.from.value, to: inputs.to.value });
  // The export links follow the dates as they are typed, before the totals are shown again.
  for (const input of Object.values(inputs)) {
    input.addEventListener('change', () => {
      for (const format of ['xlsx', 'csv']) {
        container.querySelector(`#hours-export-${format}`)?.setAttribute('href', `/api/service-records/export?format=${format}&${period()}`);
      }
    });
  }

  async function load() {
    try {
      report = await api('GET', `/api/service-records?${period()}`);
      render();
    } catch (error) {
      flash(errorText(error), true);
    }
  }

  function render() {
    replace(container, el('section', { class: 'card' },
      el('div', { class: 'co-section-head' }, el('h2', {}, t('coordinator.hours.title'))),
      el('p', { class: 'muted' }, t('coordinator.hours.help')),
      el('form', { class: 'co-form', id: 'hours-form', novalidate: true, onsubmit: event => { event.preventDefault(); load(); } },
        labelled('coordinator.hours.from', inputs.from), labelled('coordinator.hours.to', inputs.to),
        el('div', { class: 'co-form-actions' },
          el('button', { type: 'submit', class: 'btn primary' }, t('coordinator.hours.show')),
          el('a', { class: 'btn', id: 'hours-export-xlsx', href: `/api/service-records/export?format=xlsx&${period()}` }, t('coordinator.hours.exportXlsx')),
          el('a', { class: 'btn', id: 'hours-export-csv', href: `/api/service-records/export?format=csv&${period()}` }, t('coordinator.hours.exportCsv')))),
      body));
    if (!report) return;
    const head = keys => el('thead', {}, el('tr', {}, keys.map(k => el('th', {}, t(k)))));
    replace(body,
      el('p', { id: 'hours-total' }, t('coordinator.hours.total', { from: report.from, to: report.to, count: report.total.count, hours: report.total.hours })),
      report.volunteers.length
        ? el('div', { class: 'co-table-wrap' }, el('table', { class: 'co-table', id: 'hours-volunteers' },
          head(['coordinator.hours.volunteer', 'coordinator.hours.count', 'coordinator.hours.hours', 'coordinator.hours.certificate']),
          el('tbody', {}, report.volunteers.map(v => el('tr', { dataset: { volunteerId: v.volunteerId } },
            el('td', {}, v.volunteerName), el('td', {}, String(v.count)), el('td', {}, String(v.hours)),
            el('td', {}, el('a', {
              href: `/certificate?volunteerId=${encodeURIComponent(v.volunteerId)}&from=${report.from}&to=${report.to}`,
              target: '_blank', rel: 'noopener',
            }, t('coordinator.hours.print'))))))))
        : el('p', { class: 'muted', id: 'hours-empty' }, t('coordinator.hours.empty')),
      report.stations.length > 0 && el('div', { class: 'co-table-wrap' }, el('table', { class: 'co-table', id: 'hours-stations' },
        head(['coordinator.hours.station', 'coordinator.hours.count', 'coordinator.hours.hours']),
        el('tbody', {}, report.stations.map(s => el('tr', {},
          el('td', {}, s.stationName ?? t('coordinator.hours.noStation')), el('td', {}, String(s.count)), el('td', {}, String(s.hours))))))),
      report.records.length > 0 && el('h3', {}, t('coordinator.hours.records')),
      report.recordsTruncated && el('p', { class: 'muted' }, t('coordinator.hours.recordsTruncated', { n: report.records.length })),
      report.records.length > 0 && el('div', { class: 'co-table-wrap' }, el('table', { class: 'co-table', id: 'hours-records' },
        head(['coordinator.hours.completedAt', 'coordinator.hours.volunteer', 'coordinator.hours.category',
          'coordinator.hours.minutes', 'coordinator.hours.correction', 'coordinator.hours.action']),
        el('tbody', {}, report.records.map(recordRow)))));
  }

  /** @param {ServiceRecord} record */
  function recordRow(record) {
    const c = record.correction;
    const row = el('tr', { class: ['hours-record', c && 'corrected'], dataset: { recordId: record.id, requestId: record.requestId } },
      el('td', {}, dateTime(record.completedAt)),
      el('td', {}, record.volunteerName),
      el('td', {}, t(`category.${record.category}`)),
      el('td', { class: 'hours-minutes' }, minutesText(record.minutes),
        c && el('span', { class: 'muted' }, ' ', t('coordinator.hours.recordedWas', { minutes: minutesText(record.recordedMinutes) }))),
      el('td', { class: 'hours-correction' }, c
        ? t('coordinator.hours.correctedBy', { by: c.by || '—', at: dateTime(c.at), reason: c.reason })
        : ''),
      el('td', {}, el('button', {
        type: 'button', class: 'btn hours-correct', onclick: () => openCorrection(row, record),
      }, t('coordinator.hours.correct'))));
    return row;
  }

  /**
   * The correction form in a row under the record: the minutes recorded, the corrected minutes and the reason.
   * @param {HTMLElement} row
   * @param {ServiceRecord} record
   */
  function openCorrection(row, record) {
    container.querySelector('#hours-correct-row')?.remove();
    const slot = (/** @type {string} */ name) => el('p', { class: 'field-error', role: 'alert', dataset: { for: name }, hidden: true });
    const minutes = /** @type {HTMLInputElement} */ (el('input', {
      type: 'number', id: 'hc-minutes', name: 'minutes', min: 0, step: 'any', value: minutesText(record.minutes),
    }));
    const reason = /** @type {HTMLInputElement} */ (el('input', { type: 'text', id: 'hc-reason', name: 'reason', maxlength: 500, autocomplete: 'off' }));
    const general = el('p', { class: 'error', role: 'alert', hidden: true });
    const save = el('button', { type: 'submit', class: 'btn primary', id: 'hc-save' }, t('coordinator.hours.save'));
    const form = el('form', { class: 'co-form', id: 'hours-correct-form', novalidate: true, dataset: { recordId: record.id } },
      el('strong', {}, t('coordinator.hours.correctTitle', { name: record.volunteerName })),
      el('p', { id: 'hc-recorded', class: 'muted' }, t('coordinator.hours.recorded', { minutes: minutesText(record.recordedMinutes) })),
      el('div', {}, labelled('coordinator.hours.newMinutes', minutes), slot('minutes')),
      el('div', {}, labelled('coordinator.hours.reason', reason), slot('reason')),
      general,
      el('div', { class: 'co-form-actions' }, save,
        el('button', { type: 'button', class: 'btn', id: 'hc-cancel', onclick: () => editor.remove() }, t('action.cancel'))));
    const editor = el('tr', { id: 'hours-correct-row' }, el('td', { colspan: 6 }, form));
    row.after(editor);
    minutes.focus();

    /** Shows each field's messages by it; what names no field goes to the form's line. */
    const showErrors = (/** @type {Record<string, string[]>} */ errors, /** @type {string} */ otherwise) => {
      for (const node of form.querySelectorAll('.field-error')) show(node, false);
      show(general, false);
      let placed = false;
      for (const [name, messages] of Object.entries(errors)) {
        const node = form.querySelector(`.field-error[data-for="${name.toLowerCase()}"]`);
        if (!node) continue;
        node.textContent = messages.join(' ');
        show(node);
        placed = true;
      }
      if (!placed && otherwise) {
        general.textContent = otherwise;
        show(general);
      }
    };

    form.addEventListener('submit', async event => {
      event.preventDefault();
      const { body: correction, errors } = correctionBody({ minutes: minutes.value, reason: reason.value });
      if (!correction) {
        showErrors(errors, '');
        return;
      }
      save.disabled = true;
      try {
        await api('PUT', `/api/service-records/${record.id}`, correction);
        flash(t('coordinator.hours.corrected'));
        await load();
      } catch (error) {
        showErrors(error instanceof ApiError ? error.errors : {}, errorText(error));
      } finally {
        save.disabled = false;
      }
    });
  }

  return { load, rerender: render };
}
