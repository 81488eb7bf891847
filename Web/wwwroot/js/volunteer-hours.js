// The volunteer's service hours (志愿时长, issue #16): totals this month, this year and in all (China time), the
// records newest first, and links to print the certificate of this month or this year.
import { api } from '/js/api.js';
import { el, replace, show } from '/js/dom.js';
import { t } from '/js/i18n.js';
import { chinaDate, chinaToday } from '/js/format.js';

export function createHours({ totals, list, empty, monthLink, yearLink }) {
  let data = null;

  async function refresh() {
    try {
      data = await api('GET', '/api/volunteers/me/service-records');
      render();
    } catch {
      // Hours are not urgent: what is shown stays until the next refresh.
    }
  }

  function render() {
    const today = chinaToday();
    monthLink.href = `/certificate?from=${today.slice(0, 8)}01&to=${today}`;
    yearLink.href = `/certificate?from=${today.slice(0, 5)}01-01&to=${today}`;
    if (!data) return;
    const total = (key, value) => [
      el('dt', {}, t(key)),
      el('dd', { dataset: { total: key.split('.').pop() } }, t('volunteer.hours.total', { hours: value.hours, count: value.count })),
    ];
    replace(totals, total('volunteer.hours.month', data.thisMonth), total('volunteer.hours.year', data.thisYear),
      total('volunteer.hours.all', data.allTime));
    replace(list, data.records.map(record => el('li', { class: 'hours-record', dataset: { recordId: record.id } },
      el('span', {}, t('volunteer.hours.record', {
        date: chinaDate(record.completedAt), category: t(`category.${record.category}`), hours: record.hours,
      })),
      record.satisfied === true && el('span', { class: 'chip' }, t('volunteer.hours.satisfied')),
      record.satisfied === false && el('span', { class: 'chip' }, t('volunteer.hours.notSatisfied')),
      record.correction && el('span', { class: 'muted hours-correction' }, t('volunteer.hours.corrected', { reason: record.correction.reason })))));
    show(empty, data.records.length === 0);
  }

  return { refresh, rerender: render };
}
