// The rosters tab: stations and volunteers (create, edit, deactivate) and the CSV import.
import { api, errorText } from '/js/api.js';
import { el, replace } from '/js/dom.js';
import { t } from '/js/i18n.js';
import { flash, labelled, saveThen } from '/js/coordinator-format.js';
import { importSection } from '/js/coordinator-import.js';
import { DEFAULT_CENTER } from '/js/map.js';
import { CATEGORIES, TRAVEL_MODES } from '/js/words.js';

const SKILLS = CATEGORIES;
const TRAVEL = TRAVEL_MODES;
const ROBOT_KINDS = ['wecom', 'dingtalk'];

const field = labelled;

export function createRosters(container) {
  let stations = [];
  let volunteers = [];
  let search = '';
  const stationSlot = el('div', { id: 'station-form-slot' });
  const volunteerSlot = el('div', { id: 'volunteer-form-slot' });
  const stationTable = el('div', { class: 'co-table-wrap' });
  const volunteerTable = el('div', { class: 'co-table-wrap' });
  const volunteerCount = el('span', { class: 'muted' });

  const save = (method, path, body, onDone) => saveThen(() => api(method, path, body), async () => { onDone(); await load(); });

  // --- Stations ---
  function stationForm(station) {
    const inputs = {
      name: el('input', { name: 'name', maxlength: 80, value: station?.name ?? '' }),
      address: el('input', { name: 'address', maxlength: 200, value: station?.address ?? '' }),
      lat: el('input', { name: 'lat', type: 'number', step: 'any', value: station?.position.lat ?? DEFAULT_CENTER[0] }),
      lon: el('input', { name: 'lon', type: 'number', step: 'any', value: station?.position.lon ?? DEFAULT_CENTER[1] }),
      radius: el('input', { name: 'circleRadiusM', type: 'number', min: 100, max: 20000, value: station?.circleRadiusM ?? 2000 }),
      phone: el('input', { name: 'phone', value: station?.phone ?? '' }),
    };
    const robots = robotEditor(station?.robots ?? []);
    const submit = event => {
      event.preventDefault();
      const body = {
        name: inputs.name.value, address: inputs.address.value,
        position: { lat: Number(inputs.lat.value), lon: Number(inputs.lon.value) },
        circleRadiusM: Number(inputs.radius.value), phone: inputs.phone.value.trim() || null, kits: station?.kits ?? [],
        robots: robots.body(),
      };
      save(station ? 'PUT' : 'POST', station ? `/api/stations/${station.id}` : '/api/stations', body, () => replace(stationSlot));
    };
    replace(stationSlot, el('form', { class: 'co-form', id: 'station-form', onsubmit: submit },
      field('coordinator.rosters.name', inputs.name), field('coordinator.rosters.address', inputs.address),
      field('coordinator.rosters.lat', inputs.lat), field('coordinator.rosters.lon', inputs.lon),
      field('coordinator.rosters.radius', inputs.radius), field('coordinator.rosters.phone', inputs.phone),
      robots.node,
      el('div', { class: 'co-form-actions' },
        el('button', { type: 'submit', class: 'btn primary' }, t('action.save')),
        el('button', { type: 'button', class: 'btn', onclick: () => replace(stationSlot) }, t('action.cancel')))));
    inputs.name.focus();
  }

  // The station group's robots (WeCom, DingTalk): the secret is write-only, so its field starts empty and blank
  // keeps the stored one (for the same kind and address); a tick removes it.
  function robotEditor(existing) {
    const rows = [];
    const list = el('div', { class: 'co-robot-list' });
    const add = robot => {
      const row = {
        kind: el('select', { name: 'robotKind' }, ROBOT_KINDS.map(k => el('option', { value: k, selected: robot?.kind === k }, t(`coordinator.robots.kind.${k}`)))),
        url: el('input', { name: 'robotUrl', type: 'url', maxlength: 500, value: robot?.url ?? '', placeholder: 'https://…' }),
        secret: el('input', { name: 'robotSecret', type: 'password', autocomplete: 'new-password', maxlength: 200,
          placeholder: t(robot?.hasSecret ? 'coordinator.robots.secretKept' : 'coordinator.robots.secretNone') }),
        clear: robot?.hasSecret ? el('input', { type: 'checkbox', name: 'robotClearSecret' }) : null,
      };
      row.node = el('div', { class: 'co-robot' },
        field('coordinator.robots.kind', row.kind), field('coordinator.robots.url', row.url), field('coordinator.robots.secret', row.secret),
        row.clear ? el('label', { class: 'co-check' }, row.clear, t('coordinator.robots.clearSecret')) : el('span'),
        el('button', { type: 'button', class: 'btn', onclick: () => { rows.splice(rows.indexOf(row), 1); row.node.remove(); } }, t('coordinator.robots.remove')));
      rows.push(row);
      list.append(row.node);
    };
    existing.forEach(add);
    const node = el('fieldset', { class: 'co-robots', id: 'station-robots' },
      el('legend', {}, t('coordinator.robots.title')),
      el('p', { class: 'muted' }, t('coordinator.robots.help')),
      list,
      el('button', { type: 'button', class: 'btn', id: 'add-robot', onclick: () => add(null) }, t('coordinator.robots.add')));
    const body = () => rows.map(r => {
      const robot = { kind: r.kind.value, url: r.url.value.trim() };
      if (r.secret.value) robot.secret = r.secret.value;
      else if (r.clear?.checked) robot.secret = '';
      return robot;
    });
    return { node, body };
  }

  const robotKinds = s => (s.robots ?? []).map(r => t(`coordinator.robots.kind.${r.kind}`)).join('、') || t('coordinator.rosters.none');

  function renderStations() {
    replace(stationTable, el('table', { class: 'co-table', id: 'stations-table' },
      el('thead', {}, el('tr', {}, ['coordinator.rosters.name', 'coordinator.rosters.address', 'coordinator.rosters.radius', 'coordinator.rosters.volunteers', 'coordinator.robots.title', 'coordinator.rosters.actions']
        .map(k => el('th', {}, t(k))))),
      el('tbody', {}, stations.map(s => el('tr', { dataset: { id: s.id } },
        el('td', {}, s.name), el('td', {}, s.address), el('td', {}, String(s.circleRadiusM)), el('td', {}, String(s.roster.length)),
        el('td', {}, robotKinds(s)),
        el('td', {}, el('button', { type: 'button', class: 'btn', onclick: () => stationForm(s) }, t('coordinator.rosters.edit'))))))));
  }

  // --- Volunteers ---
  async function volunteerForm(summary) {
    let volunteer = null;
    if (summary) {
      try { volunteer = await api('GET', `/api/volunteers/${summary.id}`); } catch (error) { flash(errorText(error), true); return; }
    }
    const inputs = {
      name: el('input', { name: 'name', maxlength: 64, value: volunteer?.name ?? '' }),
      phone: el('input', { name: 'phone', value: volunteer?.phone ?? '' }),
      travelMode: el('select', { name: 'travelMode' }, TRAVEL.map(m => el('option', { value: m, selected: volunteer?.travelMode === m }, t(`travel.${m}`)))),
      homeStationId: el('select', { name: 'homeStationId' }, el('option', { value: '' }, t('coordinator.rosters.none')),
        stations.map(s => el('option', { value: s.id, selected: volunteer?.homeStationId === s.id }, s.name))),
      capacity: el('input', { name: 'capacity', type: 'number', min: 1, max: 10, value: volunteer?.capacity ?? 1 }),
    };
    const skills = SKILLS.map(s => el('input', { type: 'checkbox', value: s, checked: volunteer?.skills.includes(s) ?? false }));
    const smsOffers = el('input', { type: 'checkbox', name: 'smsOffers', checked: volunteer?.smsOffers ?? false });
    const submit = event => {
      event.preventDefault();
      const body = {
        name: inputs.name.value, phone: inputs.phone.value, travelMode: inputs.travelMode.value,
        skills: skills.filter(c => c.checked).map(c => c.value), homeStationId: inputs.homeStationId.value || null,
        capacity: Number(inputs.capacity.value), active: volunteer?.active ?? true, smsOffers: smsOffers.checked,
      };
      save(volunteer ? 'PUT' : 'POST', volunteer ? `/api/volunteers/${volunteer.id}` : '/api/volunteers', body, () => replace(volunteerSlot));
    };
    replace(volunteerSlot, el('form', { class: 'co-form', id: 'volunteer-form', onsubmit: submit },
      field('coordinator.rosters.volunteerName', inputs.name), field('coordinator.rosters.phone', inputs.phone),
      field('coordinator.rosters.travelMode', inputs.travelMode), field('coordinator.rosters.homeStation', inputs.homeStationId),
      field('coordinator.rosters.capacity', inputs.capacity),
      el('div', { class: 'co-skills' }, el('span', {}, t('coordinator.rosters.skills')),
        skills.map((box, i) => el('label', {}, box, t(`category.${SKILLS[i]}`)))),
      el('label', { class: 'co-sms-offers' }, smsOffers, t('coordinator.rosters.smsOffers')),
      el('div', { class: 'co-form-actions' },
        el('button', { type: 'submit', class: 'btn primary' }, t('action.save')),
        el('button', { type: 'button', class: 'btn', onclick: () => replace(volunteerSlot) }, t('action.cancel')))));
    inputs.name.focus();
  }

  async function setActive(summary, active) {
    try {
      const v = await api('GET', `/api/volunteers/${summary.id}`);
      await save('PUT', `/api/volunteers/${v.id}`, {
        name: v.name, phone: v.phone, skills: v.skills, travelMode: v.travelMode, homeStationId: v.homeStationId, capacity: v.capacity, active,
        smsOffers: v.smsOffers,
      }, () => {});
    } catch (error) {
      flash(errorText(error), true);
    }
  }

  function renderVolunteers() {
    const stationName = id => stations.find(s => s.id === id)?.name ?? t('coordinator.rosters.none');
    const shown = volunteers.filter(v => !search || v.name.includes(search)).slice(0, 500);
    volunteerCount.textContent = t('coordinator.rosters.count', { n: volunteers.length });
    replace(volunteerTable, el('table', { class: 'co-table', id: 'volunteers-table' },
      el('thead', {}, el('tr', {}, ['coordinator.rosters.volunteerName', 'coordinator.rosters.skills', 'coordinator.rosters.travelMode',
        'coordinator.rosters.homeStation', 'coordinator.rosters.status', 'coordinator.rosters.actions'].map(k => el('th', {}, t(k))))),
      el('tbody', {}, shown.map(v => el('tr', { class: !v.active && 'inactive', dataset: { id: v.id, name: v.name } },
        el('td', {}, v.name),
        el('td', {}, v.skills.map(s => t(`category.${s}`)).join('、')),
        el('td', {}, t(`travel.${v.travelMode}`)),
        el('td', {}, stationName(v.homeStationId)),
        el('td', {}, !v.active ? t('coordinator.rosters.inactive') : v.onDuty ? t('coordinator.rosters.onDuty') : t('coordinator.rosters.offDuty')),
        el('td', {}, el('div', { class: 'co-form-actions' },
          el('button', { type: 'button', class: 'btn', onclick: () => volunteerForm(v) }, t('coordinator.rosters.edit')),
          el('button', { type: 'button', class: 'btn', dataset: { action: v.active ? 'deactivate' : 'activate' }, onclick: () => setActive(v, !v.active) },
            t(v.active ? 'coordinator.rosters.deactivate' : 'coordinator.rosters.activate')))))))));
  }

  function render() {
    const searchBox = el('input', { type: 'search', id: 'volunteer-search', value: search, placeholder: t('coordinator.rosters.filter'),
      oninput: e => { search = e.target.value.trim(); renderVolunteers(); } });
    replace(container, el('div', { class: 'co-rosters-grid' },
      el('section', { class: 'card' },
        el('div', { class: 'co-section-head' }, el('h2', {}, t('coordinator.rosters.stations')),
          el('button', { type: 'button', class: 'btn primary', id: 'new-station', onclick: () => stationForm(null) }, t('coordinator.rosters.newStation'))),
        stationSlot, stationTable),
      el('section', { class: 'card' },
        el('div', { class: 'co-section-head' }, el('h2', {}, t('coordinator.rosters.volunteers')), volunteerCount,
          el('div', { class: 'row' }, searchBox,
            el('button', { type: 'button', class: 'btn primary', id: 'new-volunteer', onclick: () => volunteerForm(null) }, t('coordinator.rosters.newVolunteer')))),
        volunteerSlot, volunteerTable),
      importSection({ onImported: load })));
    renderStations();
    renderVolunteers();
  }

  // Loads overlap (a save reloads while the previous save's reload is still on its way): only the latest one started
  // is drawn, so an older answer can never overwrite a newer change on the screen.
  let loads = 0;
  async function load() {
    const mine = ++loads;
    try {
      const [s, v] = await Promise.all([api('GET', '/api/stations'), api('GET', '/api/volunteers')]);
      if (mine !== loads) return;
      [stations, volunteers] = [s, v];
      if (!container.querySelector('.co-rosters-grid')) render();
      else { renderStations(); renderVolunteers(); }
    } catch (error) {
      flash(errorText(error), true);
    }
  }

  return { load, rerender: () => { replace(stationSlot); replace(volunteerSlot); render(); } };
}
