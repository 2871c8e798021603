/** Services and their instances: versions, health, ports, last heartbeat (live). */
import type { Instance, ServiceSummary } from '../../schemas.js';
import { html } from '../html.js';
import { ago, badge, type PageView, time } from '../layout.js';
import type { PageContext } from './page-context.js';

function ports(i: Instance) {
  return Object.entries(i.ports).map(([name, port]) => html`<code>${name}:${port}</code> `);
}

export async function servicesPage(page: PageContext): Promise<PageView> {
  const { services } = await page.run<{ services: ServiceSummary[] }>('listServices', {});
  const now = Date.now();
  const instances = services.reduce((n, s) => n + s.instances.length, 0);
  const unhealthy = services.reduce((n, s) => n + s.instances.filter((i) => i.health !== 'ok').length, 0);
  const live = html`
<div class="cards">
  <div class="card"><span class="num">${services.length}</span><span>services</span></div>
  <div class="card"><span class="num">${instances}</span><span>instances</span></div>
  <div class="card ${unhealthy ? 'alert' : ''}"><span class="num">${unhealthy}</span><span>not ok</span></div>
</div>
${
  services.length === 0
    ? html`<p class="empty">No heartbeats yet. Services announce themselves every HEARTBEAT_INTERVAL_MS on the bus (same NATS_URL and BUS_SUBJECT_ROOT).</p>`
    : services.map(
        (s) => html`
<article class="service" data-service="${s.name}">
  <h2>${s.name} <small>${s.versions.join(', ')}</small> <span class="pill">${s.healthy}/${s.instances.length} ok</span></h2>
  <p class="muted small">${s.operations.length} operations: ${s.operations.map((o) => o.name).join(', ')}</p>
  <div class="scroll"><table>
    <thead><tr><th>instance</th><th>health</th><th>version</th><th>host</th><th>ports</th><th>last seen</th><th>started</th></tr></thead>
    <tbody>${s.instances.map(
      (i) => html`<tr data-instance="${i.instance}">
      <td><code>${i.instance}</code></td>
      <td>${badge(i.health)}${i.readiness && !i.readiness.ok ? html` <span class="small muted">${i.readiness.detail ?? ''}</span>` : ''}</td>
      <td>${i.version}</td><td>${i.host}</td><td>${ports(i)}</td>
      <td>${ago(i.lastSeen, now)}</td><td>${time(i.startedAt)}</td></tr>`,
    )}</tbody>
  </table></div>
</article>`,
      )
}`;
  return { title: 'Services', live };
}
