// Choosing volunteers by name on the operator console (a family's paired helpers, a care plan's preferred helper):
// a search box that asks GET /api/volunteers/picker?q= as the operator types, the matches as buttons, the chosen ones
// as chips with a remove button. The chosen ids' names come from the same route (?ids=). No phone is ever shown.
import { api, errorText } from '/js/api.js';
import { el, replace, show } from '/js/dom.js';
import { t } from '/js/i18n.js';
import { tx } from '/js/operator-forms.js';
import { pick, pickerNames, pickerSearch } from '/js/volunteer-choice.js';

/** @typedef {import('../../types/api').VolunteerChoice} VolunteerChoice */

/** How long the picker waits after a key before it searches. */
const TYPING_PAUSE_MS = 250;

/**
 * A volunteer picker inside a .field wrapper named name (for the API's 400 on it).
 * @param {{ name: string, labelKey: string, id: string, chosen?: string[], max: number }} options
 * @returns {{ node: HTMLElement, ids: () => string[] }}
 */
export function volunteerPicker({ name, labelKey, id, chosen = [], max }) {
  /** @type {string[]} */
  let ids = [...new Set(chosen)];
  /** @type {Map<string, string>} names by id, as the API gave them */
  const names = new Map();
  const search = /** @type {HTMLInputElement} */ (el('input', {
    type: 'search', id, autocomplete: 'off', maxlength: 64, 'data-i18n-placeholder': 'operator.picker.placeholder',
  }));
  search.placeholder = t('operator.picker.placeholder');
  const chips = el('div', { class: 'row op-picker-chips', dataset: { role: 'chosen' } });
  const results = el('ul', { class: 'op-picker-results', hidden: true });
  const note = el('p', { class: 'muted op-picker-note', role: 'status', hidden: true });
  const node = el('div', { class: 'field op-picker', dataset: { field: name } },
    tx('label', labelKey, undefined, { for: id }),
    chips, search, results, note,
    el('p', { class: 'field-error', role: 'alert', hidden: true }));

  const say = (/** @type {string | null} */ text) => {
    note.textContent = text ?? '';
    show(note, Boolean(text));
  };

  function renderChips() {
    replace(chips, ids.length
      ? ids.map(v => el('span', { class: 'chip op-picker-chip', dataset: { id: v } },
        el('span', { class: 'op-picker-name' }, names.get(v) ?? t('operator.picker.unknown', { id: v.slice(0, 8) })),
        el('button', {
          type: 'button', class: 'op-picker-remove', 'aria-label': t('operator.picker.remove', { name: names.get(v) ?? v }),
          onclick: () => { ids = ids.filter(x => x !== v); renderChips(); },
        }, '×')))
      : tx('span', 'operator.picker.none', undefined, { class: 'muted op-picker-empty' }));
  }

  /** @param {VolunteerChoice} volunteer */
  function choose(volunteer) {
    names.set(volunteer.id, volunteer.name);
    const next = pick(ids, volunteer.id, max);
    ids = next.chosen;
    say(next.full ? t('operator.picker.full', { max }) : null);
    search.value = '';
    show(results, false);
    renderChips();
    search.focus();
  }

  let asked = 0;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  async function find() {
    const url = pickerSearch(search.value);
    const mine = ++asked;
    if (!url) {
      show(results, false);
      return;
    }
    try {
      /** @type {VolunteerChoice[]} */
      const found = await api('GET', url);
      if (mine !== asked) return;
      say(null);
      replace(results, found.length
        ? found.map(v => el('li', {},
          el('button', { type: 'button', class: 'op-picker-option', dataset: { id: v.id }, onclick: () => choose(v) },
            el('strong', {}, v.name), ' ',
            el('span', { class: 'muted' }, v.skills.map(s => t(`category.${s}`)).join('、')), ' ',
            v.onDuty && tx('span', 'operator.picker.onDuty', undefined, { class: 'chip op-picker-duty' }))))
        : tx('li', 'operator.picker.noMatch', undefined, { class: 'muted op-picker-nomatch' }));
      show(results, true);
    } catch (failure) {
      if (mine === asked) say(errorText(failure));
    }
  }

  search.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(find, TYPING_PAUSE_MS);
  });
  search.addEventListener('keydown', event => {
    if (event.key !== 'Enter') return;
    // Enter picks the first match instead of submitting the form around the picker.
    event.preventDefault();
    /** @type {HTMLButtonElement | null} */ (results.querySelector('.op-picker-option'))?.click();
  });

  renderChips();
  const known = pickerNames(ids);
  if (known) {
    api('GET', known).then((/** @type {VolunteerChoice[]} */ found) => {
      for (const v of found) names.set(v.id, v.name);
      renderChips();
      node.dataset.named = 'true';
    }, failure => say(errorText(failure)));
  } else {
    node.dataset.named = 'true';
  }

  return { node, ids: () => [...ids] };
}
