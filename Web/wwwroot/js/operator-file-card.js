// A family service file as read-only card: worker, members, addresses, numbers, notes, the family's request
// history (GET /api/requests?status=all&workerId=) and the change history (who, when, what).
import { api, errorText } from '/js/api.js';
import { el, replace } from '/js/dom.js';
import { dateTime } from '/js/format.js';
import { tx } from '/js/operator-forms.js';
import { pickerNames } from '/js/volunteer-choice.js';

function row(labelKey, ...value) {
  return el('div', { class: 'kv' }, tx('span', labelKey, undefined, { class: 'kv-key' }), el('span', { class: 'kv-value' }, ...value));
}

/** Renders file into a new element (with id); actions: [{ key, onclick, class, id }] buttons at the top. */
/**
 * @param {any} file
 * @param {{ actions?: { key: string, onclick: () => void, class?: string, id?: string }[], id?: string }} [options]
 */
export function fileCard(file, { actions = [], id } = {}) {
  const history = el('ul', { class: 'op-history' });
  const paired = tx('span', 'operator.file.pairedCount', { n: file.pairedVolunteerIds?.length ?? 0 }, { id: 'file-paired' });
  const card = el('article', { class: 'card op-file-card', id, dataset: { fileId: file.id } },
    el('header', { class: 'op-file-head' },
      el('h2', { class: 'op-file-name' }, file.workerName),
      el('div', { class: 'row' }, actions.map(a =>
        tx('button', a.key, undefined, { type: 'button', class: a.class ?? 'btn', id: a.id, onclick: a.onclick })))),
    file.posting && row('operator.file.posting', file.posting),
    file.workerPhone && row('operator.file.workerPhone', el('a', { href: `tel:${file.workerPhone.replace(/[^\d+]/g, '')}` }, file.workerPhone)),
    tx('h3', 'operator.file.members'),
    file.familyMembers.length
      ? el('ul', { class: 'op-members' }, file.familyMembers.map(m => el('li', {},
        el('strong', {}, m.name), ' · ', m.relation,
        m.phone && el('span', {}, ' · ', el('a', { href: `tel:${m.phone.replace(/[^\d+]/g, '')}` }, m.phone)),
        m.notes && el('div', { class: 'muted' }, m.notes))))
      : tx('p', 'operator.file.none', undefined, { class: 'muted' }),
    tx('h3', 'operator.file.addresses'),
    file.addresses.length
      ? el('ul', { class: 'op-addresses' }, file.addresses.map(a => el('li', {}, el('strong', {}, a.label), ' · ', a.text)))
      : tx('p', 'operator.file.none', undefined, { class: 'muted' }),
    row('operator.file.phones', file.phones.join('、') || '—'),
    file.notes && row('operator.file.notes', file.notes),
    file.pairedVolunteerIds?.length > 0 && row('operator.file.paired', paired),
    tx('h3', 'operator.file.history'),
    history,
    el('details', { class: 'op-changes' },
      tx('summary', 'operator.file.changes', { n: file.changes.length }),
      el('ul', {}, [...file.changes].reverse().map(c =>
        el('li', {}, el('span', { class: 'muted' }, dateTime(c.at)), ' ', c.actor, ' — ', c.what)))));
  /** Reads the family's request history again (after an intake or a live change). */
  card.refreshHistory = () => loadHistory(file.id, history);
  card.refreshHistory();
  if (file.pairedVolunteerIds?.length) namePaired(file.pairedVolunteerIds, paired);
  return card;
}

/** Writes the paired volunteers' names instead of their count (the count stays when they cannot be read). */
async function namePaired(ids, node) {
  try {
    /** @type {import('../../types/api').VolunteerChoice[]} */
    const found = await api('GET', pickerNames(ids));
    const names = new Map(found.map(v => [v.id, v.name]));
    delete node.dataset.i18n;
    delete node.dataset.i18nParams;
    node.textContent = ids.map(id => names.get(id) ?? id.slice(0, 8)).join('、');
    node.dataset.named = 'true';
  } catch {
    // The count already says how many; the names come with the next opening.
  }
}

async function loadHistory(workerId, list) {
  try {
    const rows = await api('GET', `/api/requests?status=all&workerId=${encodeURIComponent(workerId)}`);
    if (!rows.length) {
      replace(list, tx('li', 'operator.file.noHistory', undefined, { class: 'muted' }));
      return;
    }
    replace(list, rows.slice(0, 20).map(r => el('li', { dataset: { id: r.id } },
      el('span', { class: 'muted' }, dateTime(r.createdAt)), ' ',
      tx('span', `category.${r.category}`, undefined, { class: 'chip' }), ' ',
      tx('span', `urgency.${r.urgency}`, undefined, { class: `chip urgency-${r.urgency}` }), ' ',
      tx('span', `status.${r.status}`, undefined, { class: `chip status-${r.status}` }))));
  } catch (error) {
    replace(list, el('li', { class: 'field-error' }, errorText(error)));
  }
}
