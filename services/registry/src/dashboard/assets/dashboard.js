// bosun registry dashboard: live updates over server-sent events. The server re-renders the
// page's live region (already escaped HTML) and sends it when it changed; this swaps it in
// and lets htmx wire the action buttons inside it. No inline script anywhere (CSP).
(() => {
  const region = document.querySelector('[data-live]');
  const status = document.getElementById('live-status');
  if (!region || !('EventSource' in window)) return;
  const setStatus = (text, state) => {
    if (!status) return;
    status.textContent = text;
    status.dataset.state = state;
  };
  const source = new EventSource(`/dashboard/live?src=${encodeURIComponent(region.dataset.live)}`);
  source.addEventListener('open', () => setStatus('live', 'live'));
  source.addEventListener('error', () => setStatus('reconnecting…', 'down'));
  source.addEventListener('update', (event) => {
    region.innerHTML = event.data;
    if (window.htmx) window.htmx.process(region);
    region.dispatchEvent(new CustomEvent('registry:updated', { bubbles: true }));
  });
  source.addEventListener('problem', () => setStatus('refresh failed; retrying', 'down'));
  window.addEventListener('pagehide', () => source.close());
})();
