// The accounts tab (administrators only): every login with its roles and state; new logins (a volunteer's login
// is tied to a volunteer on the rosters); disable / enable; a new password.
import { api, errorText } from '/js/api.js';
import { el, replace } from '/js/dom.js';
import { t } from '/js/i18n.js';
import { flash, labelled, saveThen } from '/js/coordinator-format.js';

const ROLES = ['operator', 'coordinator', 'volunteer', 'admin'];
const field = labelled;

export function createAccounts(container) {
  let accounts = [];
  let volunteers = [];
  const formSlot = el('div', { id: 'account-form-slot' });
  const table = el('div', { class: 'co-table-wrap' });

  const save = (call, onDone) => saveThen(call, async () => { onDone?.(); await load(); });

  function accountForm() {
    const inputs = {
      login: el('input', { name: 'login', maxlength: 32, autocomplete: 'off' }),
      name: el('input', { name: 'name', maxlength: 64 }),
      password: el('input', { name: 'password', type: 'password', minlength: 8, maxlength: 128, autocomplete: 'new-password' }),
      volunteerId: el('select', { name: 'volunteerId' }, el('option', { value: '' }, t('coordinator.accounts.noVolunteer')),
        volunteers.filter(v => v.active).map(v => el('option', { value: v.id }, v.name))),
    };
    const roles = ROLES.map(r => el('input', { type: 'checkbox', value: r }));
    const submit = event => {
      event.preventDefault();
      const body = {
        login: inputs.login.value.trim(), name: inputs.name.value.trim(), password: inputs.password.value,
        roles: roles.filter(c => c.checked).map(c => c.value), volunteerId: inputs.volunteerId.value || null,
      };
      save(() => api('POST', '/api/accounts', body), () => replace(formSlot));
    };
    replace(formSlot, el('form', { class: 'co-form', id: 'account-form', novalidate: true, onsubmit: submit },
      field('coordinator.accounts.login', inputs.login), field('coordinator.accounts.name', inputs.name),
      field('coordinator.accounts.password', inputs.password), field('coordinator.accounts.volunteer', inputs.volunteerId),
      el('div', { class: 'co-skills' }, el('span', {}, t('coordinator.accounts.roles')),
        roles.map((box, i) => el('label', {}, box, t(`role.${ROLES[i]}`)))),
      el('div', { class: 'co-form-actions' },
        el('button', { type: 'submit', class: 'btn primary' }, t('action.save')),
        el('button', { type: 'button', class: 'btn', onclick: () => replace(formSlot) }, t('action.cancel')))));
    inputs.login.focus();
  }

  function passwordForm(account, slot) {
    const password = el('input', { name: 'password', type: 'password', minlength: 8, maxlength: 128, autocomplete: 'new-password' });
    replace(slot, el('form', { class: 'row', onsubmit: event => {
      event.preventDefault();
      save(() => api('POST', `/api/accounts/${encodeURIComponent(account.login)}/password`, { password: password.value }));
    } }, password, el('button', { type: 'submit', class: 'btn' }, t('action.save'))));
    password.focus();
  }

  function render() {
    const volunteerName = id => volunteers.find(v => v.id === id)?.name ?? '';
    replace(container, el('section', { class: 'card' },
      el('div', { class: 'co-section-head' }, el('h2', {}, t('coordinator.accounts.title')),
        el('button', { type: 'button', class: 'btn primary', id: 'new-account', onclick: accountForm }, t('coordinator.accounts.new'))),
      formSlot, table));
    replace(table, el('table', { class: 'co-table', id: 'accounts-table' },
      el('thead', {}, el('tr', {}, ['coordinator.accounts.login', 'coordinator.accounts.name', 'coordinator.accounts.roles',
        'coordinator.accounts.volunteer', 'coordinator.rosters.status', 'coordinator.rosters.actions'].map(k => el('th', {}, t(k))))),
      el('tbody', {}, accounts.map(a => {
        const slot = el('div');
        return el('tr', { class: a.disabled && 'inactive', dataset: { login: a.login } },
          el('td', {}, a.login), el('td', {}, a.name),
          el('td', {}, a.roles.map(r => t(`role.${r}`)).join('、')),
          el('td', {}, a.volunteerId ? volunteerName(a.volunteerId) : ''),
          el('td', {}, t(a.disabled ? 'coordinator.accounts.disabled' : 'coordinator.accounts.active')),
          el('td', {}, el('div', { class: 'co-form-actions' },
            el('button', { type: 'button', class: 'btn', dataset: { action: a.disabled ? 'enable' : 'disable' },
              onclick: () => save(() => api('POST', `/api/accounts/${encodeURIComponent(a.login)}/${a.disabled ? 'enable' : 'disable'}`)) },
              t(a.disabled ? 'coordinator.rosters.activate' : 'coordinator.rosters.deactivate')),
            el('button', { type: 'button', class: 'btn', dataset: { action: 'password' }, onclick: () => passwordForm(a, slot) },
              t('coordinator.accounts.setPassword'))), slot));
      }))));
  }

  // Only the latest load started is drawn: a save's reload never loses to the previous save's, still on its way.
  let loads = 0;
  async function load() {
    const mine = ++loads;
    try {
      const [a, v] = await Promise.all([api('GET', '/api/accounts'), api('GET', '/api/volunteers')]);
      if (mine !== loads) return;
      [accounts, volunteers] = [a, v];
      render();
    } catch (error) {
      flash(errorText(error), true);
    }
  }

  return { load, rerender: render };
}
