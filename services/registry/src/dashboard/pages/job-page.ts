/**
 * One job: state, attempts, timings, progress, last error with its stack, data and output
 * (all untrusted: rendered through html`` only, UNTRUSTED_IS_ESCAPED), and the retry or
 * cancel action its state allows (live, so a retried job is seen to complete).
 */
import type { JobDetail } from '../../schemas.js';
import { html, prettyJson, query } from '../html.js';
import { actionButton, badge, duration, type PageView, time } from '../layout.js';
import type { PageContext } from './page-context.js';

export async function jobPage(page: PageContext, id: string): Promise<PageView> {
  const job = await page.run<JobDetail>('getJob', { id });
  const canRetry = job.state === 'failed' || job.state === 'cancelled';
  const canCancel = job.state === 'created' || job.state === 'retry' || job.state === 'active';
  const actions = !page.session.admin
    ? canRetry || canCancel
      ? html`<p class="muted small">${page.session.adminEnabled ? html`<a href="/dashboard/login?next=/dashboard/jobs/${job.id}">Sign in</a> to ` : 'Set REGISTRY_ADMIN_TOKEN to '}retry or cancel this job.</p>`
      : ''
    : html`<div class="actions">${
        canRetry
          ? actionButton({
              action: `/dashboard/jobs/${job.id}/retry`,
              label: 'Retry',
              confirm: `Retry job #${job.id} (${job.name})?`,
            })
          : ''
      }${
        canCancel
          ? actionButton({
              action: `/dashboard/jobs/${job.id}/cancel`,
              label: 'Cancel',
              confirm: `Cancel job #${job.id} (${job.name})?`,
              danger: true,
            })
          : ''
      }</div>`;
  const progress = job.progress
    ? html`<div class="progress"><progress max="100" value="${Math.max(0, Math.min(100, job.progress.value))}"></progress> ${job.progress.value}% ${job.progress.message ?? ''}</div>`
    : html`<span class="muted">—</span>`;
  const live = html`
<div class="job-head"><span data-field="state">${badge(job.state)}</span> <a href="/dashboard/jobs${query({ queue: job.name })}">${job.name}</a> ${actions}</div>
<dl class="facts">
  <dt>attempt</dt><dd>${job.attempt} of ${job.retryLimit + 1}</dd>
  <dt>priority</dt><dd>${job.priority}</dd>
  <dt>singleton key</dt><dd>${job.singletonKey ?? '—'}</dd>
  <dt>dead letter</dt><dd>${job.deadLetter ?? '—'}${job.origin ? ` (failed on ${job.origin})` : ''}</dd>
  <dt>created</dt><dd>${time(job.createdAt)}</dd>
  <dt>run at</dt><dd>${time(job.runAt)}</dd>
  <dt>started</dt><dd>${time(job.startedAt)} <span class="muted small">waited ${duration(job.createdAt, job.startedAt)}</span></dd>
  <dt>finished</dt><dd>${time(job.finishedAt)} <span class="muted small">ran ${duration(job.startedAt, job.finishedAt)}</span></dd>
  <dt>progress</dt><dd>${progress}</dd>
</dl>
${
  job.lastError
    ? html`<h2>Last error</h2><div class="error"><p><strong data-field="error-message">${job.lastError.message}</strong>${
        job.lastError.code ? html` <code>${job.lastError.code}</code>` : ''
      }</p>${job.lastError.stack ? html`<pre class="stack">${job.lastError.stack}</pre>` : ''}</div>`
    : ''
}
<h2>Data</h2><pre class="data" data-field="data">${prettyJson(job.data)}</pre>
${job.output !== null ? html`<h2>Output</h2><pre class="data" data-field="output">${prettyJson(job.output)}</pre>` : ''}`;
  return { title: `Job #${job.id}`, live };
}
