/**
 * The job list: filter by queue, state and creation time (UTC), newest first, keyset
 * paging with "older" links (KEYSET_PAGES). The filter form stays put; the table is live.
 */
import type { JobSummary, QueueInfo } from '../../schemas.js';
import { html, query } from '../html.js';
import { badge, type PageView, time } from '../layout.js';
import type { PageContext } from './page-context.js';

const STATES = ['created', 'retry', 'active', 'completed', 'failed', 'cancelled'];

/** `2026-12-01T06:00` (a datetime-local input, read as UTC) or a full ISO time → ISO, else undefined. */
export function utcTime(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const text = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value) ? `${value}Z` : value;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

const inputTime = (iso: string | undefined) => (iso ? iso.slice(0, 16) : '');

export async function jobsPage(page: PageContext): Promise<PageView> {
  const { queues } = await page.run<{ queues: QueueInfo[] }>('queueStats', {});
  const p = page.params;
  const queue = p.queue || queues[0]?.name;
  const state = STATES.includes(p.state ?? '') ? p.state : undefined;
  const from = utcTime(p.from);
  const to = utcTime(p.to);
  const controls = html`<form class="filters" method="get" action="/dashboard/jobs">
  <label>Queue <select name="queue">${queues.map(
    (q) => html`<option value="${q.name}"${q.name === queue ? html` selected` : ''}>${q.name}</option>`,
  )}</select></label>
  <label>State <select name="state"><option value="">any</option>${STATES.map(
    (s) => html`<option value="${s}"${s === state ? html` selected` : ''}>${s}</option>`,
  )}</select></label>
  <label>Created from (UTC) <input type="datetime-local" name="from" value="${inputTime(from)}"></label>
  <label>to (UTC) <input type="datetime-local" name="to" value="${inputTime(to)}"></label>
  <button type="submit" class="primary">Show</button>
</form>`;
  if (!queue) return { title: 'Jobs', controls, live: html`<p class="empty">No queues yet.</p>` };
  const { jobs, nextCursor } = await page.run<{ jobs: JobSummary[]; nextCursor: string | null }>('listJobs', {
    queue,
    state,
    from,
    to,
    cursor: p.cursor || undefined,
    limit: 25,
  });
  const base = { queue, state, from, to };
  const live = html`${
    jobs.length === 0
      ? html`<p class="empty">No jobs match.</p>`
      : html`<div class="scroll"><table class="jobs">
  <thead><tr><th>id</th><th>state</th><th class="n">attempt</th><th>created</th><th>started</th><th>finished</th><th>last error</th></tr></thead>
  <tbody>${jobs.map(
    (j) => html`<tr data-job="${j.id}">
    <td><a href="/dashboard/jobs/${j.id}">#${j.id}</a></td><td>${badge(j.state)}</td>
    <td class="n">${j.attempt}/${j.retryLimit + 1}</td>
    <td>${time(j.createdAt)}</td><td>${time(j.startedAt)}</td><td>${time(j.finishedAt)}</td>
    <td class="error-cell">${j.lastError?.message ?? ''}</td></tr>`,
  )}</tbody></table></div>`
  }
<nav class="pager">${p.cursor ? html`<a href="/dashboard/jobs${query(base)}">← newest</a>` : ''}${
    nextCursor
      ? html`<a href="/dashboard/jobs${query({ ...base, cursor: nextCursor })}" rel="next">older →</a>`
      : ''
  }</nav>`;
  return { title: `Jobs · ${queue}`, controls, live };
}
