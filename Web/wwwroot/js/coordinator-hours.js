// The service hours tab (志愿时长, issue #16): totals per volunteer and per station for a period (China days), each
// volunteer's certificate, and the export of the period's records as CSV or an Excel workbook.
import { api, errorText } from '/js/api.js';
import { el, replace } from '/js/dom.js';
import { t } from '/js/i18n.js';
import { flash, labelled } from '/js/coordinator-format.js';

/** Today in China as yyyy-MM-dd. */
const chinaToday = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

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
          el('td', {}, s.stationName ?? t('coordinator.hours.noStation')), el('td', {}, String(s.count)), el('td', {}, String(s.hours))))))));
  }

  return { load, rerender: render };
}
