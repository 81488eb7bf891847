// Building elements without innerHTML: text is always set as text, so user input can never become markup.
//   el('button', { class: 'btn', onclick: claim, disabled: busy }, t('volunteer.claim'))
//   el('p', { 'data-i18n': 'login.intro' })

const SAFE_URL = /^(https?:|tel:|mailto:|geo:|\/|#|\?)/i;

/**
 * Creates <tag> with attributes and children. attrs: class, dataset ({...}), style ({...}), on<event>
 * functions, booleans (true = present, false/null/undefined = absent), anything else as an attribute.
 * href/src must be http(s), tel, mailto, geo or local. Children: strings/numbers (as text), nodes,
 * arrays, and null/false (skipped).
 */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') node.className = Array.isArray(value) ? value.filter(Boolean).join(' ') : value;
    else if (name === 'dataset') Object.assign(node.dataset, value);
    else if (name === 'style' && typeof value === 'object') Object.assign(node.style, value);
    else if (name.startsWith('on') && typeof value === 'function') node.addEventListener(name.slice(2).toLowerCase(), value);
    else if (name === 'innerHTML' || name === 'outerHTML') throw new Error('dom.el: use text children, never HTML');
    else if ((name === 'href' || name === 'src') && !SAFE_URL.test(String(value))) throw new Error(`dom.el: unsafe ${name}`);
    else if (value === true) node.setAttribute(name, '');
    else node.setAttribute(name, String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(node, child);
    else node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces every child of node with the given children. */
export function replace(node, ...children) {
  node.replaceChildren();
  append(node, children);
  return node;
}

/** document.querySelector, throwing when nothing matches (a missing element is a bug in the page). */
export function $(selector, root = document) {
  const found = root.querySelector(selector);
  if (!found) throw new Error(`dom: nothing matches ${selector}`);
  return found;
}

/** Shows or hides an element (the hidden attribute). */
export function show(node, visible = true) {
  node.hidden = !visible;
  return node;
}
