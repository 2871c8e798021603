/** Dead-letter queues with jobs waiting, and the redrive action (live). */
import { html, query } from '../html.js';
import { actionButton, type PageView } from '../layout.js';
import type { PageContext } from './page-context.js';

export async function deadLettersPage(page: PageContext): Promise<PageView> {
  const { deadLetters } = await page.run<{
    deadLetters: Array<{ name: string; origin: string; waiting: number }>;
  }>('listDeadLetters', {});
  const live =
    deadLetters.length === 0
      ? html`<p class="empty">No dead letters waiting. A job with a <code>deadLetter</code> queue lands there after its last failed attempt.</p>`
      : html`<div class="scroll"><table>
  <thead><tr><th>dead-letter queue</th><th>failed on</th><th class="n">waiting</th><th></th></tr></thead>
  <tbody>${deadLetters.map(
    (d) => html`<tr data-queue="${d.name}">
    <th scope="row"><a href="/dashboard/jobs${query({ queue: d.name, state: 'created' })}">${d.name}</a></th>
    <td>${d.origin}</td><td class="n">${d.waiting}</td>
    <td>${
      page.session.admin
        ? actionButton({
            action: `/dashboard/dead-letters/${encodeURIComponent(d.name)}/redrive`,
            label: 'Redrive',
            confirm: `Move the waiting jobs of ${d.name} back to their queue?`,
          })
        : html`<span class="muted small">sign in to redrive</span>`
    }</td></tr>`,
  )}</tbody></table></div>`;
  return { title: 'Dead letters', live };
}
