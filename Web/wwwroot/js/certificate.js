// The service certificate's print button (/certificate, rendered by the server): no inline script, the CSP admits only this site's files.
document.getElementById('print')?.addEventListener('click', () => window.print());
