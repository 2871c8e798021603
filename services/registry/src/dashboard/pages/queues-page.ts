/** Every queue: live counts by state, throughput and the oldest waiting job (live). */
import type { QueueInfo } from '../../schemas.js';
import { html, query } from '../html.js';
import { ago, type PageView } from '../layout.js';
import type { PageContext } from './page-context.js';

const STATES = ['created', 'retry', 'scheduled', 'active', 'completed', 'failed', 'cancelled'] as const;
const LABELS: Record<(typeof STATES)[number], string> = {
  created: 'waiting',
  retry: 'retry',
  scheduled: 'scheduled',
  active: 'active',
  completed: 'completed',
  failed: 'failed',
  cancelled: 'cancelled',
};

export async function queuesPage(page: PageContext): Promise<PageView> {
  const { queues, sampledAt } = await page.run<{ queues: QueueInfo[]; sampledAt: string }>('queueStats', {});
  const total = (state: (typeof STATES)[number]) => queues.reduce((n, q) => n + q.counts[state], 0);
  const throughput = queues.reduce((n, q) => n + (q.throughputPerMinute ?? 0), 0);
  const cell = (q: QueueInfo, state: (typeof STATES)[number]) => {
    const n = q.counts[state];
    // `scheduled` is not a stored state (a created job due later): its list is the waiting one.
    const filter = state === 'scheduled' ? 'created' : state;
    return html`<td class="n ${n && (state === 'failed' || state === 'retry') ? 'hot' : ''}" data-state="${state}"><a href="/dashboard/jobs${query({ queue: q.name, state: filter })}">${n}</a></td>`;
  };
  const live = html`
<div class="cards">
  <div class="card"><span class="num" data-total="created">${total('created') + total('retry')}</span><span>waiting</span></div>
  <div class="card"><span class="num" data-total="active">${total('active')}</span><span>active</span></div>
  <div class="card"><span class="num" data-total="completed">${total('completed')}</span><span>completed</span></div>
  <div class="card ${total('failed') ? 'alert' : ''}"><span class="num" data-total="failed">${total('failed')}</span><span>failed</span></div>
  <div class="card"><span class="num">${throughput.toFixed(1)}</span><span>finished / min</span></div>
</div>
${
  queues.length === 0
    ? html`<p class="empty">No queues yet: a queue appears once a job is sent to it or a schedule names it.</p>`
    : html`<div class="scroll"><table class="queues">
  <thead><tr><th>queue</th>${STATES.map((s) => html`<th class="n">${LABELS[s]}</th>`)}<th class="n">/ min</th><th>oldest waiting</th></tr></thead>
  <tbody>${queues.map(
    (q) => html`<tr data-queue="${q.name}">
    <th scope="row"><a href="/dashboard/jobs${query({ queue: q.name })}">${q.name}</a>${
      q.deadLetterFor.length
        ? html` <span class="pill">dead letters of ${q.deadLetterFor.join(', ')}</span>`
        : ''
    }</th>
    ${STATES.map((s) => cell(q, s))}
    <td class="n">${q.throughputPerMinute === null ? '—' : q.throughputPerMinute.toFixed(1)}</td>
    <td>${q.oldestQueuedSeconds > 0 ? `${q.oldestQueuedSeconds.toFixed(1)} s` : '—'}</td></tr>`,
  )}</tbody></table></div>`
}
<p class="muted small">Sampled ${ago(sampledAt)}.</p>`;
  return { title: 'Queues', live };
}
