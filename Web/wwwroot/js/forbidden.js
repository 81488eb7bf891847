// The 403 page a signed-in user sees on another role's page: a link to their own page, and logout.
import { renderHeader } from '/js/header.js';
import { applyTranslations } from '/js/i18n.js';

applyTranslations(document);
await renderHeader(document.getElementById('app-header'), { showConnection: false });
