// The family's status page (/s/{token}): reads /api/status/{token} now and every few seconds, and says where the
// request is in words. No login; nothing personal is ever in the answer (docs/API.md, "Status link"). The page is
// Chinese whatever language another page of this site chose: its times are written in STATUS_LANG.
import { fullDateTime, kilometres, timeOfDay } from '/js/format.js';

const STATUS_LANG = 'zh-CN';

const POLL_MS = 5000;
const token = decodeURIComponent(location.pathname.split('/').pop() || '');

const text = document.getElementById('status-text');
const eta = document.getElementById('status-eta');
const distance = document.getElementById('status-distance');
const updated = document.getElementById('status-updated');
const error = document.getElementById('status-error');
const hotline = /** @type {HTMLAnchorElement} */ (document.getElementById('status-hotline'));

function show(status) {
  text.textContent = status.text;
  text.dataset.status = status.status;
  eta.hidden = !status.expectedBy;
  if (status.expectedBy)
    eta.textContent = `预计 ${timeOfDay(status.expectedBy, STATUS_LANG)} 前到达`;
  distance.hidden = status.volunteerDistanceM == null;
  if (status.volunteerDistanceM != null)
    distance.textContent = `志愿者距您约 ${kilometres(status.volunteerDistanceM)} 公里`;
  updated.textContent = `更新于 ${fullDateTime(status.updatedAt, STATUS_LANG)}`;
  hotline.textContent = status.hotline;
  hotline.href = `tel:${status.hotline}`;
  error.hidden = true;
}

async function poll() {
  try {
    const response = await fetch(`/api/status/${encodeURIComponent(token)}`, { headers: { Accept: 'application/json' }, cache: 'no-store' });
    if (response.status === 404) {
      text.textContent = '链接已失效。如需帮助请致电热线。';
      text.dataset.status = 'gone';
      return; // nothing more will come
    }
    if (!response.ok)
      throw new Error(String(response.status));
    show(await response.json());
  } catch {
    error.textContent = '暂时无法更新，稍后自动重试。';
    error.hidden = false;
  }
  setTimeout(poll, POLL_MS);
}

poll();
