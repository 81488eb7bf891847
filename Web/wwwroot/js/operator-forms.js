// Shared helpers of the operator console: translated text nodes, field checks in the page, and showing the
// API's ProblemDetails next to the field it names (errors map or the unreadable field), else in the form's box.
import { ApiError, errorText } from '/js/api.js';
import { el, show } from '/js/dom.js';
import { t } from '/js/i18n.js';

/** An element whose text is t(key, params) and follows the language switch (data-i18n). */
export function tx(tag, key, params, attrs = {}) {
  const node = el(tag, { ...attrs, 'data-i18n': key, 'data-i18n-params': params ? JSON.stringify(params) : null });
  node.textContent = t(key, params);
  return node;
}

/** A labelled field wrapper: <div class="field" data-field=name><label/>control<p class="field-error"/></div>. */
export function field(name, labelKey, control) {
  if (!control.id) control.id = `f-${name.replace(/[^\w-]/g, '_')}-${Math.random().toString(36).slice(2, 8)}`;
  return el('div', { class: 'field', dataset: { field: name } },
    tx('label', labelKey, undefined, { for: control.id }),
    control,
    el('p', { class: 'field-error', role: 'alert', hidden: true }));
}

/** A text input (or textarea with rows) with maxlength and a translated placeholder. */
/**
 * @param {{ value?: string | null, maxlength?: number, placeholderKey?: string, rows?: number, type?: string, id?: string, autocomplete?: string }} [options]
 * @returns {HTMLInputElement | HTMLTextAreaElement}
 */
export function input({ value = '', maxlength, placeholderKey, rows, type = 'text', id, autocomplete = 'off' } = {}) {
  const node = rows
    ? el('textarea', { rows, maxlength, id, 'data-i18n-placeholder': placeholderKey })
    : el('input', { type, maxlength, id, autocomplete, 'data-i18n-placeholder': placeholderKey });
  node.value = value ?? '';
  if (placeholderKey) node.placeholder = t(placeholderKey);
  return node;
}

/** Digits with an optional leading + after dropping spaces, dashes, dots and brackets; 7–15 digits. */
export function looksLikePhone(text) {
  const compact = String(text).replace(/[\s\-().\u3000]/g, '');
  return /^\+?\d{7,15}$/.test(compact);
}

/** Page-side checks: adds [key, message] to errors for a rule the value breaks. */
/**
 * @param {Record<string, string[]>} errors
 * @param {string} name
 * @param {string | null | undefined} value
 * @param {{ required?: boolean, max?: number, min?: number, phone?: boolean }} [rules]
 */
export function check(errors, name, value, { required = false, max, min, phone = false } = {}) {
  const text = (value ?? '').trim();
  if (!text) {
    if (required) errors[name] = [t('operator.v.required')];
    return;
  }
  if (max && text.length > max) errors[name] = [t('operator.v.tooLong', { max })];
  else if (min && text.length < min) errors[name] = [t('operator.v.tooShort', { min })];
  else if (phone && !looksLikePhone(text)) errors[name] = [t('operator.v.phone')];
}

const norm = key => String(key).replace(/^\$\./, '').toLowerCase();

/** Hides every field error and the form's error box. */
export function clearErrors(form, box) {
  for (const node of form.querySelectorAll('.field-error')) { node.textContent = ''; show(node, false); }
  for (const node of form.querySelectorAll('.field.invalid')) node.classList.remove('invalid');
  if (box) { box.textContent = ''; show(box, false); }
}

/**
 * Shows errors ({ path: [messages] }, API PascalCase or camelCase paths) next to the [data-field] whose name
 * matches the path or its longest prefix ("addresses[0].position.lat" → "addresses[0].position"). What
 * matches no field goes to box. Answers true when something was shown.
 */
export function showErrors(form, errors, box, general) {
  const fields = [...form.querySelectorAll('[data-field]')];
  const unplaced = [];
  let first = null;
  for (const [path, messages] of Object.entries(errors)) {
    let key = norm(path);
    let target = null;
    while (key && !target) {
      target = fields.find(f => norm(f.dataset.field) === key) ?? null;
      if (!target) key = key.includes('.') ? key.slice(0, key.lastIndexOf('.')) : key.includes('[') ? key.slice(0, key.lastIndexOf('[')) : '';
    }
    const text = [messages].flat().join(' ');
    const slot = target?.querySelector(':scope > .field-error');
    if (slot) {
      slot.textContent = slot.textContent ? `${slot.textContent} ${text}` : text;
      show(slot);
      target.classList.add('invalid');
      first ??= target;
    } else {
      unplaced.push(path ? `${path}: ${text}` : text);
    }
  }
  if (box && (unplaced.length || general)) {
    box.textContent = [general, ...unplaced].filter(Boolean).join(' ');
    show(box);
  }
  first?.querySelector('input, textarea, select')?.focus();
  return Object.keys(errors).length > 0 || Boolean(general);
}

/** Shows an API failure: field errors next to their fields, the detail (or a network word) in box. */
export function showProblem(form, error, box) {
  clearErrors(form, box);
  const errors = { ...(error instanceof ApiError ? error.errors : {}) };
  if (error instanceof ApiError && error.field) errors[error.field] = [error.detail ?? error.title ?? ''];
  const placed = Object.keys(errors).length > 0;
  showErrors(form, errors, box, placed ? t('error.validation') : errorText(error));
}

/** A position as "lat, lon" with 5 decimals. */
export const coord = value => Number(value).toFixed(5);

export { newKey } from '/js/api.js';
