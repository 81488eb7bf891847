// The family files: the list (GET /api/workers), search (q), a file's card with its change history, create
// and edit through the editor dialog, and "use for this call" to take the file to the call screen.
import { api, errorText } from '/js/api.js';
import { el, replace, show } from '/js/dom.js';
import { input, tx } from '/js/operator-forms.js';
import { fileCard } from '/js/operator-file-card.js';
import { openFileEditor } from '/js/operator-file-editor.js';

export function createFiles(root, { onUse = () => {} } = {}) {
  const q = input({ id: 'files-q', maxlength: 100, type: 'search', placeholderKey: 'operator.files.searchPlaceholder' });
  const count = el('p', { class: 'muted', id: 'files-count' });
  const list = el('ul', { class: 'op-file-list', id: 'files-list' });
  const error = el('p', { class: 'error', hidden: true });
  const detail = el('div', { class: 'op-file-detail', id: 'files-detail' },
    tx('p', 'operator.files.select', undefined, { class: 'muted card' }));
  const form = el('form', { class: 'row op-files-search', role: 'search', novalidate: true },
    q,
    tx('button', 'operator.files.search', undefined, { type: 'submit', class: 'btn' }),
    tx('button', 'operator.files.new', undefined, {
      type: 'button', class: 'btn primary', id: 'files-new',
      onclick: () => openFileEditor({ onSaved: saved => { showFile(saved); reload(); } }),
    }));
  replace(root, el('div', { class: 'op-files' },
    el('section', { class: 'card stack op-files-list' }, tx('h2', 'operator.files.heading'), form, count, error, list),
    detail));

  form.addEventListener('submit', event => { event.preventDefault(); reload(); });

  async function reload() {
    try {
      const text = q.value.trim();
      const files = await api('GET', text ? `/api/workers?q=${encodeURIComponent(text)}` : '/api/workers');
      show(error, false);
      replace(count, tx('span', 'operator.files.count', { n: files.length }));
      replace(list, files.length ? files.map(f => el('li', {},
        el('button', { type: 'button', class: 'op-file-row', dataset: { id: f.id }, onclick: () => openFile(f.id) },
          el('strong', {}, f.workerName),
          f.posting && el('span', { class: 'muted' }, f.posting),
          f.homeAddress && el('span', {}, f.homeAddress),
          el('span', { class: 'muted' }, f.phones.join('、')))))
        : tx('li', 'operator.files.empty', undefined, { class: 'muted' }));
    } catch (failure) {
      error.textContent = errorText(failure);
      show(error);
    }
  }

  async function openFile(id) {
    try {
      showFile(await api('GET', `/api/workers/${id}`));
    } catch (failure) {
      replace(detail, el('p', { class: 'error' }, errorText(failure)));
    }
  }

  function showFile(file) {
    replace(detail, fileCard(file, {
      id: 'files-card',
      actions: [
        { key: 'operator.file.useForCall', id: 'files-use', class: 'btn primary', onclick: () => onUse(file) },
        { key: 'operator.file.edit', id: 'files-edit', onclick: () => openFileEditor({ file, onSaved: saved => { showFile(saved); reload(); } }) },
      ],
    }));
  }

  return { reload };
}
