/**
 * The dashboard's page shell and the small formatting pieces every page shares: the nav,
 * the flash area actions answer into, the live region the event stream refreshes, state
 * badges and times. Server-rendered HTML; scripts and styles are local files under
 * /dashboard/assets (no CDN, CSP `script-src 'self'`, no inline script or style).
 */
import { html, type SafeHtml } from './html.js';

export interface PageView {
  title: string;
  /** Above the live region: filters, forms (kept while the live region refreshes). */
  controls?: SafeHtml;
  /** The part the event stream re-renders. */
  live: SafeHtml;
}

export interface Session {
  /** REGISTRY_ADMIN_TOKEN is set: sign-in is offered. */
  adminEnabled: boolean;
  /** This request carries a valid admin cookie. */
  admin: boolean;
}

const NAV: Array<[string, string]> = [
  ['/dashboard', 'Services'],
  ['/dashboard/queues', 'Queues'],
  ['/dashboard/jobs', 'Jobs'],
  ['/dashboard/dead-letters', 'Dead letters'],
  ['/dashboard/schedules', 'Schedules'],
];

export function layout(
  view: PageView,
  options: { path: string; liveSrc?: string; session: Session },
): SafeHtml {
  const { session } = options;
  const nav = NAV.map(
    ([href, label]) =>
      html`<a href="${href}"${options.path === href ? html` aria-current="page"` : ''}>${label}</a>`,
  );
  const account = session.admin
    ? html`<form method="post" action="/dashboard/logout" class="inline"><span class="who">admin</span> <button type="submit" class="link">Sign out</button></form>`
    : session.adminEnabled
      ? html`<a href="/dashboard/login?next=${encodeURIComponent(options.path)}">Sign in</a>`
      : html`<span class="who" title="Set REGISTRY_ADMIN_TOKEN to enable actions">read-only</span>`;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="htmx-config" content='{"includeIndicatorStyles":false,"allowEval":false}'>
<title>${view.title} · bosun registry</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/dashboard/assets/dashboard.css">
<script src="/dashboard/assets/htmx.min.js" defer></script>
<script src="/dashboard/assets/dashboard.js" defer></script>
</head>
<body>
<header>
  <a class="brand" href="/dashboard">bosun registry</a>
  <nav>${nav}</nav>
  <div class="account">${account} <span id="live-status" class="live-status" aria-live="polite"></span></div>
</header>
<main>
  <h1>${view.title}</h1>
  <div id="flash" aria-live="polite"></div>
  ${view.controls ?? ''}
  <section id="live"${options.liveSrc ? html` data-live="${options.liveSrc}"` : ''}>${view.live}</section>
</main>
</body>
</html>`;
}

const STATE_CLASS: Record<string, string> = {
  ok: 'good',
  completed: 'good',
  active: 'busy',
  created: 'wait',
  retry: 'warn',
  draining: 'warn',
  unknown: 'wait',
  failed: 'bad',
  unhealthy: 'bad',
  stale: 'bad',
  cancelled: 'muted',
};

export function badge(state: string): SafeHtml {
  return html`<span class="badge ${STATE_CLASS[state] ?? 'muted'}">${state}</span>`;
}

export function ago(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '—';
  const ms = now - new Date(iso).getTime();
  const abs = Math.abs(ms);
  const text =
    abs < 1000
      ? `${abs} ms`
      : abs < 60_000
        ? `${(abs / 1000).toFixed(1)} s`
        : abs < 3_600_000
          ? `${Math.round(abs / 60_000)} min`
          : abs < 86_400_000
            ? `${(abs / 3_600_000).toFixed(1)} h`
            : `${(abs / 86_400_000).toFixed(1)} d`;
  return ms >= 0 ? `${text} ago` : `in ${text}`;
}

export function time(iso: string | null | undefined): SafeHtml {
  if (!iso) return html`<span class="muted">—</span>`;
  return html`<time datetime="${iso}" title="${iso}">${iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z')}</time>`;
}

export function duration(fromIso: string | null, toIso: string | null): string {
  if (!fromIso || !toIso) return '—';
  const ms = new Date(toIso).getTime() - new Date(fromIso).getTime();
  return ms < 1000
    ? `${ms} ms`
    : ms < 60_000
      ? `${(ms / 1000).toFixed(2)} s`
      : `${(ms / 60_000).toFixed(1)} min`;
}

/** An action button: htmx posts it after a confirm dialog; without script the server asks instead. */
export function actionButton(options: {
  action: string;
  label: string;
  confirm: string;
  danger?: boolean;
}): SafeHtml {
  return html`<form method="post" action="${options.action}" class="inline"
  hx-post="${options.action}" hx-confirm="${options.confirm}" hx-vals='{"confirm":"yes"}' hx-target="#flash" hx-swap="innerHTML">
  <button type="submit" class="${options.danger ? 'danger' : 'primary'}">${options.label}</button></form>`;
}
