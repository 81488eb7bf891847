// Follow-up calls (回访): completed requests waiting for a call-back (GET /api/requests?status=followup).
// One click records satisfied or not, with a 1–5 rating and a note; not satisfied reopens the request and
// offers it again (the answer and the live events show it).
import { api, errorText } from '/js/api.js';
import { el, replace, show } from '/js/dom.js';
import { applyTranslations, t } from '/js/i18n.js';
import { dateTime } from '/js/format.js';
import { clearErrors, field, input, showErrors, showProblem, tx } from '/js/operator-forms.js';

const DETAILED = 50;

/**
 * @param {HTMLElement} root
 * @param {{ onReopened?: (request: any) => void, onCount?: (n: number) => void }} [options]
 */
export function createFollowUps(root, { onReopened = () => {}, onCount = () => {} } = {}) {
  const list = el('ul', { class: 'op-followup-list', id: 'followup-list' });
  const error = el('p', { class: 'error', hidden: true });
  const done = el('p', { class: 'notice', id: 'followup-notice', role: 'status', hidden: true });
  replace(root, el('section', { class: 'card stack op-followups' },
    el('div', { class: 'row op-section-head' },
      tx('h2', 'operator.followups.heading'),
      tx('button', 'operator.followups.refresh', undefined, { type: 'button', class: 'btn', id: 'followup-refresh', onclick: () => reload() })),
    done, error, list));

  let loading = null;
  /** The items shown, by request id: a reload keeps them, so a half-filled follow-up is never wiped. */
  const items = new Map();

  async function reload() {
    loading ??= (async () => {
      try {
        const rows = await api('GET', '/api/requests?status=followup');
        const views = await Promise.all(rows.slice(0, DETAILED).map(r => api('GET', `/api/requests/${r.id}`).catch(() => r)));
        show(error, false);
        onCount(rows.length);
        const ids = new Set(views.map(v => v.id));
        for (const id of items.keys()) if (!ids.has(id)) items.delete(id);
        const nodes = views.map(v => items.get(v.id) ?? items.set(v.id, item(v)).get(v.id));
        replace(list, nodes.length ? nodes : tx('li', 'operator.followups.empty', undefined, { class: 'muted' }));
      } catch (failure) {
        error.textContent = errorText(failure);
        show(error);
      } finally {
        loading = null;
      }
    })();
    return loading;
  }

  function item(r) {
    const name = `rating-${r.id}`;
    const note = input({ maxlength: 1000, rows: 2, id: `followup-note-${r.id}` });
    const box = el('p', { class: 'error', role: 'alert', hidden: true });
    const form = el('form', { class: 'op-followup stack', novalidate: true },
      el('div', { class: 'row' },
        tx('span', `category.${r.category}`, undefined, { class: 'chip' }),
        tx('span', `urgency.${r.urgency}`, undefined, { class: `chip urgency-${r.urgency}` }),
        r.address && el('strong', {}, r.address)),
      r.assignedVolunteerName && tx('p', 'operator.followups.completedBy',
        { name: r.assignedVolunteerName, time: dateTime(r.completedAt) }, { class: 'muted' }),
      r.callerPhone && el('a', { class: 'btn', href: `tel:${r.callerPhone}` }, tx('span', 'operator.followups.call', { phone: r.callerPhone })),
      el('fieldset', { class: 'field op-fieldset', dataset: { field: 'rating' } },
        tx('legend', 'operator.followups.rating'),
        el('div', { class: 'op-choices op-rating', role: 'radiogroup' }, [1, 2, 3, 4, 5].map(n =>
          el('label', { class: 'op-choice', dataset: { value: String(n) } },
            el('input', { type: 'radio', name, value: String(n) }),
            tx('span', 'operator.followups.ratingN', { n })))),
        el('p', { class: 'field-error', role: 'alert', hidden: true })),
      field('note', 'operator.followups.note', note),
      box,
      el('div', { class: 'row op-actions' },
        tx('button', 'operator.followups.satisfied', undefined, { type: 'submit', class: 'btn primary op-satisfied', value: 'yes' }),
        tx('button', 'operator.followups.notSatisfied', undefined, { type: 'submit', class: 'btn danger op-not-satisfied', value: 'no' })));

    form.addEventListener('submit', async event => {
      event.preventDefault();
      clearErrors(form, box);
      const satisfied = event.submitter?.value !== 'no';
      const rating = Number(form.querySelector(`input[name="${name}"]:checked`)?.value ?? 0);
      if (!rating) {
        showErrors(form, { rating: [t('operator.v.rating')] }, box);
        return;
      }
      const buttons = [...form.querySelectorAll('button')];
      for (const b of buttons) b.disabled = true;
      try {
        const updated = await api('POST', `/api/requests/${r.id}/followup`, { satisfied, rating, note: note.value.trim() || null });
        li.remove();
        items.delete(r.id);
        onCount(items.size);
        done.dataset.i18n = satisfied ? 'operator.followups.doneSatisfied' : 'operator.followups.doneReopened';
        done.dataset.i18nParams = JSON.stringify({ n: updated?.offeredCount ?? 0 });
        applyTranslations(done);
        show(done);
        if (!satisfied) onReopened(updated);
        if (!list.children.length) replace(list, tx('li', 'operator.followups.empty', undefined, { class: 'muted' }));
      } catch (failure) {
        showProblem(form, failure, box);
        for (const b of buttons) b.disabled = false;
      }
    });
    const li = el('li', { class: 'op-followup-item', dataset: { id: r.id } }, form);
    return li;
  }

  return { reload };
}
