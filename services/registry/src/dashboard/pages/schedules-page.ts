/** Cron schedules with their last tick and next run (live). */
import type { ScheduleInfo } from '../../schemas.js';
import { html } from '../html.js';
import { ago, type PageView, time } from '../layout.js';
import type { PageContext } from './page-context.js';

export async function schedulesPage(page: PageContext): Promise<PageView> {
  const { schedules } = await page.run<{ schedules: ScheduleInfo[] }>('listSchedules', {});
  const now = Date.now();
  const live =
    schedules.length === 0
      ? html`<p class="empty">No schedules. A service's <code>schedules</code> are registered when it starts.</p>`
      : html`<div class="scroll"><table>
  <thead><tr><th>job</th><th>key</th><th>cron</th><th>tz</th><th>last tick</th><th>next run</th></tr></thead>
  <tbody>${schedules.map(
    (s) => html`<tr data-schedule="${s.job}/${s.key}">
    <th scope="row">${s.job}</th><td>${s.key || '—'}</td><td><code>${s.cron}</code></td><td>${s.tz}</td>
    <td>${time(s.lastTick)}</td><td>${time(s.nextRun)} <span class="muted small">${s.nextRun ? ago(s.nextRun, now) : ''}</span></td></tr>`,
  )}</tbody></table></div>`;
  return { title: 'Schedules', live };
}
