// A new request: caller number, the family's known address as the default place on a map (a click moves the
// pin), category and urgency as big radio buttons, description. Submit sends one Idempotency-Key per draft:
// the button is disabled while sending, a retry after a failure reuses the key, a new key comes only after
// success — so a double click or a retry never makes two requests. A failure keeps what was typed.
import { api, ApiError } from '/js/api.js';
import { el, replace, show } from '/js/dom.js';
import { applyTranslations, t } from '/js/i18n.js';
import { createMap, DEFAULT_CENTER, dotMarker } from '/js/map.js';
import { check, clearErrors, coord, field, input, newKey, showErrors, showProblem, tx } from '/js/operator-forms.js';
import { CATEGORIES as ALL_CATEGORIES, firstOf, URGENCIES as ALL_URGENCIES } from '/js/words.js';

// The hotline's choices: the most asked categories first, the most urgent first.
export const CATEGORIES = firstOf(ALL_CATEGORIES, ['Medicine', 'Groceries', 'Meals', 'Escort', 'FirstAid']);
export const URGENCIES = ALL_URGENCIES;

function choices(name, words, keyPrefix) {
  return el('div', { class: `op-choices op-choices-${name}`, role: 'radiogroup' }, words.map(word =>
    el('label', { class: `op-choice op-choice-${word}`, dataset: { value: word } },
      el('input', { type: 'radio', name, value: word, id: `intake-${name}-${word}` }),
      tx('span', `${keyPrefix}.${word}`))));
}

/**
 * @param {HTMLElement} root
 * @param {{ onSubmitted?: (created: any) => void }} [options]
 */
export async function createIntake(root, { onSubmitted = () => {} } = {}) {
  let family = null;
  let position = null;
  let draftKey = null;
  let marker = null;

  const familyLine = el('p', { class: 'op-intake-family', id: 'intake-family' });
  const caller = input({ id: 'intake-caller', maxlength: 32, type: 'tel' });
  const addressChoice = el('select', { id: 'intake-address-choice' });
  const addressChoiceField = field('addressChoice', 'operator.intake.knownAddress', addressChoice);
  const address = input({ id: 'intake-address', maxlength: 200, placeholderKey: 'operator.intake.addressPlaceholder' });
  const mapBox = el('div', { id: 'intake-map', class: 'op-intake-map' });
  const where = el('p', { class: 'muted', id: 'intake-position' });
  const description = input({ id: 'intake-description', maxlength: 2000, rows: 3, placeholderKey: 'operator.intake.descriptionPlaceholder' });
  const emergency = tx('p', 'operator.intake.emergencyNote', undefined, { class: 'error op-emergency', id: 'intake-emergency', role: 'alert', hidden: true });
  const error = el('p', { class: 'error', id: 'intake-error', role: 'alert', hidden: true });
  const notice = el('p', { class: 'notice', id: 'intake-notice', role: 'status', hidden: true });
  const submit = tx('button', 'operator.intake.submit', undefined, { type: 'submit', class: 'btn primary op-submit', id: 'intake-submit' });

  const form = el('form', { id: 'intake-form', class: 'card stack', novalidate: true },
    tx('h2', 'operator.intake.heading'),
    familyLine,
    field('callerPhone', 'operator.intake.caller', caller),
    addressChoiceField,
    field('address', 'operator.intake.address', address),
    el('div', { class: 'field', dataset: { field: 'position' } },
      tx('span', 'operator.intake.mapHint', undefined, { class: 'muted' }),
      mapBox, where, el('p', { class: 'field-error', role: 'alert', hidden: true })),
    el('fieldset', { class: 'field op-fieldset', dataset: { field: 'category' } },
      tx('legend', 'operator.intake.category'), choices('category', CATEGORIES, 'category'),
      el('p', { class: 'field-error', role: 'alert', hidden: true })),
    el('fieldset', { class: 'field op-fieldset', dataset: { field: 'urgency' } },
      tx('legend', 'operator.intake.urgency'), choices('urgency', URGENCIES, 'urgency'),
      el('p', { class: 'field-error', role: 'alert', hidden: true })),
    emergency,
    field('description', 'operator.intake.description', description),
    error,
    notice,
    el('div', { class: 'row op-actions' }, submit,
      tx('button', 'operator.intake.clear', undefined, { type: 'button', class: 'btn', id: 'intake-clear', onclick: () => reset(true) })));
  replace(root, form);

  const map = await createMap(mapBox, { center: DEFAULT_CENTER, zoom: 15 });

  function showWhere() {
    where.dataset.i18n = position ? 'operator.intake.position' : 'operator.intake.noPosition';
    where.dataset.i18nParams = JSON.stringify(position ? { lat: coord(position.lat), lon: coord(position.lon) } : {});
    where.classList.toggle('op-missing', !position);
    applyTranslations(where);
  }

  function setPosition(next, { pan = false } = {}) {
    position = next;
    if (!next) {
      marker?.remove();
      marker = null;
    } else if (marker) {
      marker.setLatLng([next.lat, next.lon]);
    } else {
      marker = dotMarker([next.lat, next.lon], { color: '#c8102e', radius: 11 }).addTo(map);
    }
    if (next && pan) map.setView([next.lat, next.lon], 16);
    showWhere();
  }

  map.on('click', e => {
    setPosition({ lat: Number(e.latlng.lat.toFixed(6)), lon: Number(e.latlng.lng.toFixed(6)) });
    const slot = form.querySelector('[data-field=position] > .field-error');
    show(slot, false);
  });

  form.addEventListener('change', event => {
    if (event.target.name === 'urgency') show(emergency, event.target.value === 'Emergency');
  });

  addressChoice.addEventListener('change', () => {
    const chosen = family?.addresses[Number(addressChoice.value)];
    if (!chosen) return;
    address.value = chosen.text;
    setPosition(chosen.position, { pan: true });
  });

  function showFamily() {
    familyLine.dataset.i18n = family ? 'operator.intake.family' : 'operator.intake.noFamily';
    familyLine.dataset.i18nParams = JSON.stringify(family ? { name: family.workerName } : {});
    applyTranslations(familyLine);
    const known = family?.addresses ?? [];
    replace(addressChoice, known.map((a, i) => el('option', { value: String(i) }, `${a.label} · ${a.text}`)));
    show(addressChoiceField, known.length > 1);
  }

  /** Starts a new draft (new key on the next submit); keeps the family and caller unless all. */
  function reset(all = false) {
    draftKey = null;
    clearErrors(form, error);
    show(notice, false);
    for (const radio of form.querySelectorAll('input[type=radio]')) radio.checked = false;
    show(emergency, false);
    description.value = '';
    if (all) {
      family = null;
      caller.value = '';
      showFamily();
    }
    const home = family?.addresses[0];
    address.value = home?.text ?? '';
    setPosition(home?.position ?? null, { pan: Boolean(home) });
  }

  form.addEventListener('submit', async event => {
    event.preventDefault();
    if (submit.disabled) return;
    clearErrors(form, error);
    show(notice, false);
    const body = {
      callerPhone: caller.value.trim(),
      category: form.querySelector('input[name=category]:checked')?.value ?? null,
      urgency: form.querySelector('input[name=urgency]:checked')?.value ?? null,
      position,
      address: address.value.trim(),
      description: description.value.trim() || null,
      workerId: family?.id ?? null,
    };
    const errors = {};
    check(errors, 'callerPhone', body.callerPhone, { required: true, phone: true });
    check(errors, 'address', body.address, { required: true, min: 2, max: 200 });
    check(errors, 'description', body.description, { max: 2000 });
    if (!body.category) errors.category = [t('operator.v.choose')];
    if (!body.urgency) errors.urgency = [t('operator.v.choose')];
    if (!body.position) errors.position = [t('operator.v.position')];
    if (Object.keys(errors).length) {
      showErrors(form, errors, error);
      return;
    }

    draftKey ??= newKey();
    submit.disabled = true;
    submit.dataset.i18n = 'operator.intake.submitting';
    applyTranslations(submit);
    try {
      // The Idempotency-Key makes a repeat the same request, so a 503 is retried.
      const created = await api('POST', '/api/requests', body, { headers: { 'Idempotency-Key': draftKey }, retries: 3 });
      reset();
      notice.dataset.i18n = 'operator.intake.submitted';
      notice.dataset.i18nParams = JSON.stringify({ n: created.offeredCount });
      applyTranslations(notice);
      show(notice);
      onSubmitted(created);
    } catch (failure) {
      showProblem(form, failure, error);
      if (failure instanceof ApiError && (failure.status === 0 || failure.status >= 500)) {
        error.append(tx('span', 'operator.intake.retryHint', undefined, { class: 'op-retry-hint' }));
      }
    } finally {
      submit.disabled = false;
      submit.dataset.i18n = 'operator.intake.submit';
      applyTranslations(submit);
    }
  });

  showFamily();
  showWhere();
  setTimeout(() => map.invalidateSize(), 0);

  return {
    form,
    /** Opens a draft for this family (null = none) and caller number; the family's first address is the place. */
    setFamily(file, callerPhone) {
      family = file;
      if (callerPhone !== undefined) caller.value = callerPhone;
      showFamily();
      reset();
    },
    setCaller(phone) { caller.value = phone; },
    /** Puts the keyboard on the category choices (arrow keys move between them). */
    focusCategory() { form.querySelector('input[name=category]')?.focus(); },
    invalidateSize() { map.invalidateSize(); },
  };
}
