// Creating and editing a family service file in a dialog: worker, family members, several addresses (each
// with a position set by clicking its map), notes, the paired volunteers (一对一结对, chosen by name). Checked in the page, then POST/PUT /api/workers; the API's
// ProblemDetails appear next to the field it names.
import { api } from '/js/api.js';
import { $, el, show } from '/js/dom.js';
import { applyTranslations, t } from '/js/i18n.js';
import { createMap, DEFAULT_CENTER, dotMarker } from '/js/map.js';
import { check, clearErrors, coord, field, input, showErrors, showProblem, tx } from '/js/operator-forms.js';
import { volunteerPicker } from '/js/operator-picker.js';

/** The most volunteers one family can be paired with (the API's limit). */
const MAX_PAIRED = 5;

const dialog = () => $('#file-editor');

/**
 * Opens the editor for file (null = a new one, phone prefilled as the worker's number). onSaved(file) gets
 * the saved file; center is where new address maps start.
 */
/** @param {{ file?: any, phone?: string, center?: number[], onSaved?: (saved: any) => void }} [options] */
export function openFileEditor({ file = null, phone = '', center = DEFAULT_CENTER, onSaved = () => {} } = {}) {
  const box = dialog();
  const error = el('p', { class: 'error', id: 'fe-error', role: 'alert', hidden: true });
  const name = input({ id: 'fe-workerName', value: file?.workerName, maxlength: 64 });
  const workerPhone = input({ id: 'fe-workerPhone', value: file ? file.workerPhone : phone, maxlength: 32, type: 'tel' });
  const posting = input({ id: 'fe-posting', value: file?.posting, maxlength: 100 });
  const notes = input({ id: 'fe-notes', value: file?.notes, maxlength: 2000, rows: 3 });
  const members = el('div', { class: 'op-members-edit', id: 'fe-members' });
  const addresses = el('div', { class: 'op-addresses-edit', id: 'fe-addresses' });
  const paired = volunteerPicker({
    name: 'pairedVolunteerIds', labelKey: 'operator.editor.paired', id: 'fe-paired', chosen: file?.pairedVolunteerIds ?? [], max: MAX_PAIRED,
  });
  const save = tx('button', 'operator.editor.save', undefined, { type: 'submit', class: 'btn primary', id: 'fe-save' });

  const addMember = m => members.append(memberBlock(m));
  const addAddress = a => { const block = addressBlock(a, center); addresses.append(block); block.ready(); };

  const form = el('form', { id: 'file-editor-form', novalidate: true, class: 'stack' },
    tx('h2', file ? 'operator.editor.editTitle' : 'operator.editor.newTitle'),
    el('div', { class: 'op-grid3' },
      field('workerName', 'operator.editor.workerName', name),
      field('workerPhone', 'operator.editor.workerPhone', workerPhone),
      field('posting', 'operator.editor.posting', posting)),
    el('fieldset', { class: 'op-fieldset' }, tx('legend', 'operator.editor.members'), members,
      tx('button', 'operator.editor.addMember', undefined, { type: 'button', class: 'btn', id: 'fe-add-member', onclick: () => addMember() })),
    el('fieldset', { class: 'op-fieldset' }, tx('legend', 'operator.editor.addresses'), addresses,
      tx('button', 'operator.editor.addAddress', undefined, { type: 'button', class: 'btn', id: 'fe-add-address', onclick: () => addAddress() })),
    field('notes', 'operator.editor.notes', notes),
    paired.node,
    error,
    el('div', { class: 'row op-actions' }, save,
      tx('button', 'action.cancel', undefined, { type: 'button', class: 'btn', id: 'fe-cancel', onclick: () => box.close() })));

  box.replaceChildren(form);
  box.showModal();
  for (const m of file?.familyMembers ?? []) addMember(m);
  for (const a of file?.addresses ?? []) addAddress(a);
  name.focus();

  form.addEventListener('submit', async event => {
    event.preventDefault();
    renumber(members, addresses);
    clearErrors(form, error);
    const body = {
      workerName: name.value.trim(),
      workerPhone: workerPhone.value.trim() || null,
      posting: posting.value.trim() || null,
      notes: notes.value.trim() || null,
      familyMembers: [...members.children].map(b => b.read()),
      addresses: [...addresses.children].map(b => b.read()),
      pairedVolunteerIds: paired.ids(),
    };
    const errors = {};
    check(errors, 'workerName', body.workerName, { required: true, max: 64 });
    check(errors, 'workerPhone', body.workerPhone, { phone: true });
    check(errors, 'posting', body.posting, { max: 100 });
    check(errors, 'notes', body.notes, { max: 2000 });
    body.familyMembers.forEach((m, i) => {
      check(errors, `familyMembers[${i}].name`, m.name, { required: true, max: 64 });
      check(errors, `familyMembers[${i}].relation`, m.relation, { required: true, max: 32 });
      check(errors, `familyMembers[${i}].phone`, m.phone, { phone: true });
      check(errors, `familyMembers[${i}].notes`, m.notes, { max: 500 });
    });
    body.addresses.forEach((a, i) => {
      check(errors, `addresses[${i}].label`, a.label, { required: true, max: 32 });
      check(errors, `addresses[${i}].text`, a.text, { required: true, min: 2, max: 200 });
      if (!a.position) errors[`addresses[${i}].position`] = [t('operator.v.position')];
    });
    if (Object.keys(errors).length) {
      showErrors(form, errors, error);
      return;
    }
    save.disabled = true;
    try {
      const saved = file
        ? await api('PUT', `/api/workers/${file.id}`, body)
        : await api('POST', '/api/workers', body);
      box.close();
      onSaved(saved);
    } catch (failure) {
      showProblem(form, failure, error);
    } finally {
      save.disabled = false;
    }
  });
}

/** Gives each member's and address's fields their index in data-field (familyMembers[1].phone …). */
function renumber(members, addresses) {
  [...members.children].forEach((block, i) => {
    for (const f of block.querySelectorAll('[data-part]')) f.dataset.field = `familyMembers[${i}].${f.dataset.part}`;
  });
  [...addresses.children].forEach((block, i) => {
    for (const f of block.querySelectorAll('[data-part]')) f.dataset.field = `addresses[${i}].${f.dataset.part}`;
  });
}

function part(name, labelKey, control) {
  const wrapper = field(name, labelKey, control);
  wrapper.dataset.part = name;
  return wrapper;
}

function memberBlock(member = {}) {
  const name = input({ value: member.name, maxlength: 64 });
  const relation = input({ value: member.relation, maxlength: 32, placeholderKey: 'operator.editor.relationPlaceholder' });
  const phone = input({ value: member.phone, maxlength: 32, type: 'tel' });
  const notes = input({ value: member.notes, maxlength: 500 });
  for (const [node, n] of /** @type {[HTMLInputElement | HTMLTextAreaElement, string][]} */ ([[name, 'name'], [relation, 'relation'], [phone, 'phone'], [notes, 'notes']])) node.name = n;
  const block = el('div', { class: 'op-member op-subcard' },
    el('div', { class: 'op-grid4' },
      part('name', 'operator.editor.memberName', name),
      part('relation', 'operator.editor.relation', relation),
      part('phone', 'operator.editor.memberPhone', phone),
      part('notes', 'operator.editor.memberNotes', notes)),
    tx('button', 'operator.editor.remove', undefined, { type: 'button', class: 'btn op-remove', onclick: () => block.remove() }));
  block.read = () => ({
    name: name.value.trim(), relation: relation.value.trim(),
    phone: phone.value.trim() || null, notes: notes.value.trim() || null,
  });
  return block;
}

function addressBlock(address = {}, center) {
  const label = input({ value: address.label, maxlength: 32, placeholderKey: 'operator.editor.labelPlaceholder' });
  const text = input({ value: address.text, maxlength: 200 });
  label.name = 'label';
  text.name = 'text';
  let position = address.position ?? null;
  const mapBox = el('div', { class: 'op-address-map' });
  const where = el('p', { class: 'muted op-position' });
  const showWhere = () => {
    where.dataset.i18n = position ? 'operator.editor.positionSet' : 'operator.editor.position';
    where.dataset.i18nParams = JSON.stringify(position ? { lat: coord(position.lat), lon: coord(position.lon) } : {});
    applyTranslations(where);
  };
  showWhere();
  const positionField = el('div', { class: 'field', dataset: { part: 'position' } },
    mapBox, where, el('p', { class: 'field-error', role: 'alert', hidden: true }));
  const block = el('div', { class: 'op-address op-subcard' },
    el('div', { class: 'op-grid2' },
      part('label', 'operator.editor.label', label),
      part('text', 'operator.editor.addressText', text)),
    positionField,
    tx('button', 'operator.editor.remove', undefined, { type: 'button', class: 'btn op-remove', onclick: () => block.remove() }));
  block.read = () => ({ label: label.value.trim(), text: text.value.trim(), position });
  block.ready = async () => {
    const start = position ? [position.lat, position.lon] : center;
    const map = await createMap(mapBox, { center: start, zoom: 16 });
    let marker = position ? dotMarker([position.lat, position.lon], { color: '#c8102e', radius: 10 }).addTo(map) : null;
    map.on('click', e => {
      position = { lat: Number(e.latlng.lat.toFixed(6)), lon: Number(e.latlng.lng.toFixed(6)) };
      if (marker) marker.setLatLng(e.latlng);
      else marker = dotMarker(e.latlng, { color: '#c8102e', radius: 10 }).addTo(map);
      showWhere();
      const slot = positionField.querySelector('.field-error');
      show(slot, false);
      positionField.classList.remove('invalid');
    });
    setTimeout(() => map.invalidateSize(), 0);
  };
  return block;
}
