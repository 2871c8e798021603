/**
 * vitest global setup: decides which PostgreSQL and NATS the tests use and provides
 * their URLs to every test file (`inject('databaseUrl')`, `inject('natsUrl')`).
 *
 * - DATABASE_URL set: that server (CI sets it to the machine's PostgreSQL).
 * - Otherwise: an embedded PostgreSQL under .bosun/test-postgres (a fresh machine needs nothing else).
 * - NATS_URL set: that server; otherwise undefined, and NATS tests skip — except under CI=true,
 *   where missing infrastructure fails the run (NOTHING_SKIPPED_IN_CI).
 */
import type { TestProject } from 'vitest/node';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let stop = async () => {};
  let databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    if (process.env.CI === 'true')
      throw new Error('CI=true but DATABASE_URL is not set: CI must test against a real PostgreSQL.');
    const { startEmbeddedPostgres } = await import('./embedded-for-tests.js');
    const embedded = await startEmbeddedPostgres();
    databaseUrl = embedded.url;
    stop = embedded.stop;
  }
  const natsUrl = process.env.NATS_URL;
  if (!natsUrl && process.env.CI === 'true')
    throw new Error('CI=true but NATS_URL is not set: CI must test against a real NATS.');
  project.provide('databaseUrl', databaseUrl);
  project.provide('natsUrl', natsUrl);
  return stop;
}
