// The family files: the list (GET /api/workers, pages of 50 with masked numbers and no address; "more" reads the
// next page), search (q, at least 2 characters), a file's card read whole by id (GET /api/workers/{id}) with its
// change history and its care plans (js/operator-care.js), create and edit through the editor dialog, and "use for this
// call" to take the file to the call screen.
import { api, errorText } from '/js/api.js';
import { el, replace, show } from '/js/dom.js';
import { input, tx } from '/js/operator-forms.js';
import { fileCard } from '/js/operator-file-card.js';
import { openFileEditor } from '/js/operator-file-editor.js';
import { carePlans } from '/js/operator-care.js';

const PAGE_SIZE = 50;

/**
 * @param {HTMLElement} root
 * @param {{ onUse?: (file: any, phone?: string) => void }} [options]
 */
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

  const more = tx('button', 'operator.files.more', undefined, {
    type: 'button', class: 'btn', id: 'files-more', hidden: true, onclick: () => load(shown.page + 1),
  });
  list.after(more);
  let shown = { page: 0, query: '', items: [] };
  // Only the answer to the latest load is shown: a slow first page must not overwrite the search typed after it.
  let generation = 0;

  form.addEventListener('submit', event => { event.preventDefault(); reload(); });

  function reload() { return load(1); }

  async function load(page) {
    const text = page === 1 ? q.value.trim() : shown.query;
    if (text.length === 1) {
      replace(error, tx('span', 'operator.files.tooShort'));
      show(error);
      return;
    }
    const mine = ++generation;
    try {
      // The text may be a number or part of an address: in the body, never the URL (logs and traces keep URLs).
      const result = text
        ? await api('POST', '/api/workers/search', { q: text, page, pageSize: PAGE_SIZE }, { retries: 3 })
        : await api('GET', `/api/workers?${new URLSearchParams({ page: String(page), pageSize: String(PAGE_SIZE) })}`);
      if (mine !== generation) return;
      show(error, false);
      shown = { page, query: text, items: page === 1 ? result.items : [...shown.items, ...result.items] };
      replace(count, tx('span', 'operator.files.count', { n: result.total }));
      replace(list, shown.items.length ? shown.items.map(f => el('li', {},
        el('button', { type: 'button', class: 'op-file-row', dataset: { id: f.id }, onclick: () => openFile(f.id) },
          el('strong', {}, f.workerName),
          f.posting && el('span', { class: 'muted' }, f.posting),
          el('span', { class: 'muted' }, f.phones.join('、')))))
        : tx('li', 'operator.files.empty', undefined, { class: 'muted' }));
      show(more, shown.items.length < result.total);
    } catch (failure) {
      if (mine !== generation) return;
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
    }), carePlans(file));
  }

  return { reload };
}
