// A family file's care plans (standing needs, issue #16): the list (GET /api/workers/{id}/care-plans) with each
// plan's schedule in words, paused state and next visits; add and edit in a dialog (POST/PUT), pause/resume (PUT
// with paused flipped) and delete (DELETE, after a second click). The API's 400 appears next to the field it names.
import { api, errorText } from '/js/api.js';
import { $, el, replace, show } from '/js/dom.js';
import { onLanguageChange, t } from '/js/i18n.js';
import { DAYS, formOf, occurrenceWords, planBody, scheduleWords, withPaused } from '/js/care.js';
import { chinaToday } from '/js/format.js';
import { clearErrors, field, input, newKey, showErrors, showProblem, tx } from '/js/operator-forms.js';
import { volunteerPicker } from '/js/operator-picker.js';
import { pickerNames } from '/js/volunteer-choice.js';
import { CATEGORIES, URGENCIES } from '/js/words.js';

/** @typedef {import('../../types/api').CarePlan} CarePlan */

// A visit is routine more often than not: the calmest first.
const CALMEST_FIRST = [...URGENCIES].reverse();

/**
 * The care plans section of an open family file (a new element, id care-plans).
 * @param {any} file the family file (GET /api/workers/{id}): its id and addresses
 */
export function carePlans(file) {
  const list = el('ul', { class: 'op-care-list', id: 'care-list' });
  const error = el('p', { class: 'error', id: 'care-error', role: 'alert', hidden: true });
  const section = el('section', { class: 'card stack op-care', id: 'care-plans', dataset: { fileId: file.id } },
    el('div', { class: 'row op-section-head' },
      tx('h2', 'operator.care.heading'),
      tx('button', 'operator.care.add', undefined, {
        type: 'button', class: 'btn', id: 'care-add', onclick: () => openPlanEditor(file, null, load),
      })),
    error,
    list);

  async function load() {
    try {
      /** @type {CarePlan[]} */
      const plans = await api('GET', `/api/workers/${file.id}/care-plans`);
      // The preferred helpers by name (one call for all the plans); an id the API no longer knows stays an id.
      const named = pickerNames([...new Set(plans.map(p => p.preferredVolunteerId).filter(Boolean))]);
      /** @type {import('../../types/api').VolunteerChoice[]} */
      const helpers = named ? await api('GET', named).catch(() => []) : [];
      names = new Map(helpers.map(v => [v.id, v.name]));
      show(error, false);
      render(plans);
      section.dataset.loaded = 'true';
    } catch (failure) {
      error.textContent = errorText(failure);
      show(error);
    }
  }

  /** @type {CarePlan[] | null} */
  let shown = null;
  /** @type {Map<string, string>} the preferred helpers' names by id */
  let names = new Map();

  /** @param {CarePlan[]} plans */
  function render(plans) {
    shown = plans;
    replace(list, plans.length
      ? plans.map(plan => planItem(plan))
      : tx('li', 'operator.care.none', undefined, { class: 'muted' }));
  }

  // Schedules and visits are written in the page's language: again after a switch, while this file is open.
  const stopListening = onLanguageChange(() => {
    if (!section.isConnected) stopListening();
    else if (shown) render(shown);
  });

  /** @param {CarePlan} plan */
  function planItem(plan) {
    const busy = el('p', { class: 'field-error', role: 'alert', hidden: true });
    const act = async (/** @type {() => Promise<unknown>} */ call) => {
      show(busy, false);
      try {
        await call();
        await load();
      } catch (failure) {
        busy.textContent = errorText(failure);
        show(busy);
      }
    };
    const confirmDelete = el('span', { class: 'row op-care-confirm', hidden: true },
      tx('span', 'operator.care.deleteConfirm'),
      tx('button', 'operator.care.deleteYes', undefined, {
        type: 'button', class: 'btn danger op-care-delete-yes',
        onclick: () => act(() => api('DELETE', `/api/workers/${file.id}/care-plans/${plan.id}`)),
      }),
      tx('button', 'action.cancel', undefined, { type: 'button', class: 'btn', onclick: () => show(confirmDelete, false) }));
    return el('li', { class: ['op-care-plan', plan.paused && 'paused'], dataset: { planId: plan.id, paused: String(plan.paused) } },
      el('div', { class: 'row' },
        tx('strong', `category.${plan.category}`),
        tx('span', `urgency.${plan.urgency}`, undefined, { class: `chip urgency-${plan.urgency}` }),
        el('span', { class: 'op-care-schedule' }, scheduleWords(plan.schedule)),
        plan.paused && tx('span', 'operator.care.paused', undefined, { class: 'chip op-care-paused' })),
      el('div', { class: 'muted' },
        plan.endDate
          ? t('operator.care.period', { start: plan.startDate, end: plan.endDate })
          : t('operator.care.periodOpen', { start: plan.startDate }),
        ' · ', plan.address),
      plan.notes && el('div', { class: 'muted' }, plan.notes),
      plan.preferredVolunteerId && el('div', { class: 'muted op-care-preferred' }, names.has(plan.preferredVolunteerId)
        ? t('operator.care.preferredName', { name: names.get(plan.preferredVolunteerId) })
        : t('operator.care.preferredId', { id: plan.preferredVolunteerId })),
      plan.next.length
        ? el('div', {}, tx('span', 'operator.care.next', undefined, { class: 'muted' }),
          el('ul', { class: 'op-care-next' }, plan.next.map(o => el('li', { dataset: { requestId: o.requestId, date: o.date } }, occurrenceWords(o)))))
        : tx('div', plan.paused ? 'operator.care.noNextPaused' : 'operator.care.noNext', undefined, { class: 'muted op-care-next-none' }),
      el('div', { class: 'row op-care-actions' },
        tx('button', 'operator.care.edit', undefined, {
          type: 'button', class: 'btn op-care-edit', onclick: () => openPlanEditor(file, plan, load),
        }),
        tx('button', plan.paused ? 'operator.care.resume' : 'operator.care.pause', undefined, {
          type: 'button', class: 'btn op-care-pause',
          onclick: () => act(() => api('PUT', `/api/workers/${file.id}/care-plans/${plan.id}`, withPaused(plan, !plan.paused))),
        }),
        tx('button', 'operator.care.delete', undefined, {
          type: 'button', class: 'btn op-care-delete', onclick: () => show(confirmDelete),
        }),
        confirmDelete),
      busy);
  }

  load();
  return section;
}

/**
 * The plan editor in the #care-editor dialog: a new plan (plan null) or an existing one; onSaved() after the API
 * stored it.
 * @param {any} file
 * @param {CarePlan | null} plan
 * @param {() => void} onSaved
 */
function openPlanEditor(file, plan, onSaved) {
  const box = /** @type {HTMLDialogElement} */ ($('#care-editor'));
  const start = formOf(plan, file, chinaToday());
  const error = el('p', { class: 'error', id: 'ce-error', role: 'alert', hidden: true });
  const select = (/** @type {string} */ id, /** @type {readonly string[]} */ values, /** @type {string} */ prefix, /** @type {string} */ chosen) => {
    const node = el('select', { id }, values.map(v => tx('option', `${prefix}.${v}`, undefined, { value: v })));
    node.value = chosen;
    return node;
  };
  const category = select('ce-category', CATEGORIES, 'category', start.category);
  const urgency = select('ce-urgency', CALMEST_FIRST, 'urgency', start.urgency);
  const kinds = ['weekly', 'everyNDays'].map(kind => {
    const radio = el('input', { type: 'radio', name: 'ce-kind', value: kind, checked: start.kind === kind });
    return { kind, radio, label: el('label', { class: 'op-care-kind' }, radio, ' ', tx('span', `operator.care.kind.${kind}`)) };
  });
  const days = DAYS.map(day => {
    const check = el('input', { type: 'checkbox', name: 'ce-day', value: day, checked: start.days.includes(day) });
    return { day, check, label: el('label', { class: 'op-care-day' }, check, ' ', tx('span', `care.weekday.${day}`)) };
  });
  const n = el('input', { type: 'number', id: 'ce-n', min: 1, max: 366, step: 1, value: start.n });
  const from = el('input', { type: 'time', id: 'ce-from', value: start.from });
  const to = el('input', { type: 'time', id: 'ce-to', value: start.to });
  const startDate = el('input', { type: 'date', id: 'ce-start', value: start.startDate });
  const endDate = el('input', { type: 'date', id: 'ce-end', value: start.endDate });
  const paused = el('input', { type: 'checkbox', id: 'ce-paused', checked: start.paused });

  // The place: one of the file's addresses (its text and position), or the plan's own when it is none of them.
  const places = (file.addresses ?? []).map(a => ({ label: `${a.label} · ${a.text}`, place: { address: a.text, position: a.position } }));
  if (start.place && !places.some(p => p.place.address === start.place.address
    && p.place.position.lat === start.place.position.lat && p.place.position.lon === start.place.position.lon)) {
    places.unshift({ label: start.place.address, place: start.place });
  }
  const place = el('select', { id: 'ce-place' }, places.map((p, i) => el('option', { value: String(i) }, p.label)));
  const chosen = places.findIndex(p => p.place.address === start.place?.address);
  place.value = places.length ? String(Math.max(0, chosen)) : '';
  const notes = input({ id: 'ce-notes', value: start.notes, maxlength: 2000, rows: 2 });
  const preferred = volunteerPicker({
    name: 'preferredVolunteerId', labelKey: 'operator.care.preferred', id: 'ce-preferred',
    chosen: start.preferredVolunteerId ? [start.preferredVolunteerId] : [], max: 1,
  });
  const save = tx('button', 'operator.care.save', undefined, { type: 'submit', class: 'btn primary', id: 'ce-save' });

  const group = (/** @type {string} */ name, /** @type {string} */ legendKey, /** @type {any[]} */ ...children) =>
    el('fieldset', { class: 'field op-fieldset', dataset: { field: name } },
      tx('legend', legendKey), ...children, el('p', { class: 'field-error', role: 'alert', hidden: true }));
  const daysGroup = group('schedule.days', 'operator.care.days', el('div', { class: 'row' }, days.map(d => d.label)));
  const nField = field('schedule.n', 'operator.care.n', n);
  const showKind = () => {
    const weekly = kinds.find(k => k.radio.checked)?.kind !== 'everyNDays';
    show(daysGroup, weekly);
    show(nField, !weekly);
  };
  for (const k of kinds) k.radio.addEventListener('change', showKind);

  const form = el('form', { id: 'care-form', novalidate: true, class: 'stack' },
    tx('h2', plan ? 'operator.care.editTitle' : 'operator.care.newTitle'),
    el('div', { class: 'op-grid3' },
      field('category', 'operator.care.category', category),
      field('urgency', 'operator.care.urgency', urgency),
      group('schedule.kind', 'operator.care.kind', el('div', { class: 'row' }, kinds.map(k => k.label)))),
    daysGroup,
    nField,
    group('schedule.window', 'operator.care.window', el('div', { class: 'op-grid3' },
      field('schedule.window.from', 'operator.care.from', from),
      field('schedule.window.to', 'operator.care.to', to))),
    el('div', { class: 'op-grid3' },
      field('startDate', 'operator.care.startDate', startDate),
      field('endDate', 'operator.care.endDate', endDate),
      el('div', { class: 'field' }, el('label', { class: 'op-care-paused-label' }, paused, ' ', tx('span', 'operator.care.pausedLabel')))),
    el('div', { class: 'field', dataset: { field: 'position' } },
      field('address', 'operator.care.place', place),
      el('p', { class: 'field-error', role: 'alert', hidden: true })),
    field('notes', 'operator.care.notes', notes),
    preferred.node,
    error,
    el('div', { class: 'row op-actions' }, save,
      tx('button', 'action.cancel', undefined, { type: 'button', class: 'btn', id: 'ce-cancel', onclick: () => box.close() })));

  box.replaceChildren(form);
  showKind();
  box.showModal();
  category.focus();
  // One key per editor: a retried create answers the same plan instead of making a second one.
  const key = newKey();

  form.addEventListener('submit', async event => {
    event.preventDefault();
    clearErrors(form, error);
    const { body, errors } = planBody({
      category: category.value,
      urgency: urgency.value,
      kind: kinds.find(k => k.radio.checked)?.kind === 'everyNDays' ? 'everyNDays' : 'weekly',
      days: days.filter(d => d.check.checked).map(d => d.day),
      n: n.value,
      from: from.value,
      to: to.value,
      startDate: startDate.value,
      endDate: endDate.value,
      paused: paused.checked,
      place: places[Number(place.value)]?.place ?? null,
      notes: notes.value,
      preferredVolunteerId: preferred.ids()[0] ?? '',
    });
    if (!body) {
      showErrors(form, errors, error);
      return;
    }
    save.disabled = true;
    try {
      if (plan) await api('PUT', `/api/workers/${file.id}/care-plans/${plan.id}`, body);
      else await api('POST', `/api/workers/${file.id}/care-plans`, body, { headers: { 'Idempotency-Key': key }, retries: 3 });
      box.close();
      onSaved();
    } catch (failure) {
      showProblem(form, failure, error);
    } finally {
      save.disabled = false;
    }
  });
}
