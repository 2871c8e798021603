/**
 * What a person starting the platform needs to see: where each service answers (REST
 * docs, OpenAPI, MCP; GraphQL at the gateway), where health is, and which database and
 * bus the process uses. Plain text for a terminal; the JSON `serving` log line from
 * @bosun/runtime carries the same URLs for machines.
 *
 * Not here: starting anything, or reading the environment (config.ts).
 */
import type { App } from '@bosun/runtime';

export interface PlatformUrls {
  service: string;
  base: string;
  /** Label -> URL, in display order. */
  links: Array<[string, string]>;
}

/** The URLs of every service with an HTTP surface, in start (and port) order. */
export function platformUrls(app: Pick<App, 'http'>): PlatformUrls[] {
  const found: PlatformUrls[] = [];
  for (const [service, http] of app.http) {
    if (!http.url) continue;
    const base = http.url;
    const links: Array<[string, string]> = [
      ['REST docs', `${base}/docs`],
      ['OpenAPI', `${base}/openapi.json`],
      ['MCP', `${base}/mcp`],
    ];
    if (service === 'registry') links.push(['Dashboard', `${base}/dashboard`]);
    found.push({ service, base, links });
  }
  return found;
}

/** A short banner: one block per service, then health, database and bus. */
export function describePlatform(
  app: Pick<App, 'http' | 'health' | 'database' | 'bus'>,
  gateway?: string,
): string {
  const lines = ['', 'bosun platform is serving:'];
  // The gateway is the public edge: REST, GraphQL and MCP for every service's operations.
  if (gateway) {
    lines.push('  gateway (the public edge)');
    for (const [label, url] of [
      ['REST', `${gateway}/api`],
      ['REST docs', `${gateway}/docs`],
      ['OpenAPI', `${gateway}/openapi.json`],
      ['GraphQL', `${gateway}/graphql`],
      ['MCP', `${gateway}/mcp`],
      ['Stream', `${gateway}/stream`],
    ] as const)
      lines.push(`    ${label.padEnd(10)} ${url}`);
  }
  for (const { service, links } of platformUrls(app)) {
    lines.push(`  ${service}`);
    for (const [label, url] of links) lines.push(`    ${label.padEnd(10)} ${url}`);
  }
  const health = app.health.url;
  lines.push(`  health (every service)`, `    ${'livez'.padEnd(10)} ${health}/livez`);
  lines.push(`    ${'readyz'.padEnd(10)} ${health}/readyz`, `    ${'metrics'.padEnd(10)} ${health}/metrics`);
  const database = app.database
    ? app.database.connection.embedded
      ? 'embedded PostgreSQL (data in ./.bosun/postgres; set DATABASE_URL to use your own)'
      : 'PostgreSQL from DATABASE_URL'
    : 'none (no service needs one)';
  lines.push(`  database   ${database}`);
  lines.push(`  bus        ${app.bus.transport.kind === 'nats' ? 'NATS (NATS_URL)' : 'in-process'}`, '');
  return `${lines.join('\n')}\n`;
}
