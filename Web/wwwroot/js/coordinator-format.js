// Small form helpers shared by the coordinator's modules (the formatting of values is /js/format.js).
import { errorText } from '/js/api.js';
import { el } from '/js/dom.js';
import { t } from '/js/i18n.js';

/** The flash message next to the tabs: a short confirmation or error. */
let flashTimer;
export function flash(text, isError = false) {
  const node = document.getElementById('co-flash');
  if (!node) return;
  node.textContent = text;
  node.classList.toggle('error', isError);
  node.hidden = false;
  clearTimeout(flashTimer);
  flashTimer = setTimeout(() => { node.hidden = true; }, 6000);
}

/** A form control under its label text. */
export const labelled = (key, input) => el('label', {}, el('span', {}, t(key)), input);

/** Runs a change; on success says "saved" and runs then() (close the form, reload), else flashes the error. */
export async function saveThen(call, then) {
  try {
    await call();
    flash(t('coordinator.rosters.saved'));
    await then?.();
  } catch (error) {
    flash(errorText(error), true);
  }
}
