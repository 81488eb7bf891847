// Finding the family by the caller's number as typed or pasted (spaces, dashes, +86): POST /api/workers/lookup
// with the number in the body (never in a URL, which logs and traces keep).
// One match opens the file; several are offered to choose from; none offers a new file in the same screen.
import { api } from '/js/api.js';
import { el, replace } from '/js/dom.js';
import { check, clearErrors, field, input, showErrors, showProblem, tx } from '/js/operator-forms.js';
import { fileCard } from '/js/operator-file-card.js';
import { openFileEditor } from '/js/operator-file-editor.js';

/** onFamily(file | null, callerPhone) whenever the call's family changes. */
/**
 * @param {HTMLElement} root
 * @param {{ onFamily?: (file: any, phone: string) => void }} [options]
 */
export function createLookup(root, { onFamily = () => {} } = {}) {
  let card = null;
  const phone = input({ id: 'lookup-phone', maxlength: 32, type: 'tel', placeholderKey: 'operator.lookup.placeholder' });
  phone.autofocus = true;
  const error = el('p', { class: 'error', id: 'lookup-error', role: 'alert', hidden: true });
  const find = tx('button', 'operator.lookup.find', undefined, { type: 'submit', class: 'btn primary', id: 'lookup-submit' });
  const form = el('form', { id: 'lookup-form', class: 'card stack', novalidate: true, role: 'search' },
    el('div', { class: 'op-lookup-row' }, field('phone', 'operator.lookup.phone', phone), find),
    error);
  const result = el('div', { id: 'lookup-result', class: 'op-lookup-result' },
    tx('p', 'operator.lookup.hint', undefined, { class: 'muted' }));
  replace(root, form, result);

  function open(file, callerPhone = phone.value.trim()) {
    card = fileCard(file, {
      id: 'file-card',
      actions: [
        { key: 'operator.file.edit', id: 'file-edit', onclick: () => edit(file) },
        { key: 'operator.file.close', id: 'file-close', onclick: close },
      ],
    });
    replace(result, card);
    onFamily(file, callerPhone);
  }

  function close() {
    card = null;
    replace(result, tx('p', 'operator.lookup.hint', undefined, { class: 'muted' }));
    onFamily(null, phone.value.trim());
  }

  function edit(file) {
    openFileEditor({ file, onSaved: saved => open(saved) });
  }

  function offerNew(number) {
    card = null;
    replace(result, el('div', { class: 'card stack', id: 'lookup-notfound' },
      tx('p', 'operator.lookup.notFound', { phone: number }),
      tx('button', 'operator.lookup.newFile', undefined, {
        type: 'button', class: 'btn primary', id: 'lookup-new-file',
        onclick: () => openFileEditor({ phone: number, onSaved: saved => open(saved, number) }),
      })));
    onFamily(null, number);
  }

  form.addEventListener('submit', async event => {
    event.preventDefault();
    clearErrors(form, error);
    const number = phone.value.trim();
    const errors = {};
    check(errors, 'phone', number, { required: true, phone: true });
    if (Object.keys(errors).length) { showErrors(form, errors, error); return; }
    find.disabled = true;
    try {
      const files = await api('POST', '/api/workers/lookup', { phone: number });
      if (files.length === 1) open(files[0], number);
      else if (files.length === 0) offerNew(number);
      else {
        replace(result, el('div', { class: 'card stack', id: 'lookup-several' },
          tx('p', 'operator.lookup.several', { n: files.length }),
          el('ul', { class: 'op-pick' }, files.map(f => el('li', {},
            el('button', { type: 'button', class: 'btn block', onclick: () => open(f, number) },
              f.workerName, f.addresses[0] ? ` · ${f.addresses[0].text}` : ''))))));
        onFamily(null, number);
      }
    } catch (failure) {
      showProblem(form, failure, error);
    } finally {
      find.disabled = false;
    }
  });

  return {
    open,
    focus: () => phone.focus(),
    /** The id of the file open for this call, or null. */
    get fileId() { return card?.dataset.fileId ?? null; },
    refreshHistory: () => card?.refreshHistory(),
  };
}
