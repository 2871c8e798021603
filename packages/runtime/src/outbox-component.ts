/**
 * The transactional outbox, wired for every service of the process that declares
 * `events.publishes`, with no code in the service: `ctx.events.publish(subject, data,
 * { db: client })` writes to the outbox inside the caller's transaction, and a relay
 * publishes committed rows to the bus.
 *
 * Two components, because they sit at two places in the start order:
 * - `outbox:schema` migrates the bosun-owned outbox schema (`bosun_bus`) right after the
 *   database, before any transport takes work, so no handler can write before the table exists.
 * - `outbox:relay` starts after the bus (it needs the transport) and stops before it; on
 *   stop it makes one last pass, so rows committed while the process drained go out now
 *   instead of waiting for another replica.
 *
 * Invariants (named in @bosun/bus): OUTBOX_COMMITS_WITH_THE_ROW, RELAY_IS_AT_LEAST_ONCE,
 * DEDUP_BY_EVENT_ID, RELAYS_NEVER_SHARE_A_ROW, RELAY_PUBLISHES_ITS_OWN_SOURCES.
 * Not a readiness failure: the relay retries by itself and rows wait safely in the table;
 * its state shows as the `outbox:relay` check's /readyz details and as the gauge
 * `bosun_outbox_relay_failures` (consecutive failed passes; alert when it stays above 0).
 */
import {
  createOutboxRelay,
  createOutboxWriter,
  DEFAULT_OUTBOX_SCHEMA,
  type OutboxRelay,
  type OutboxWriter,
  outboxMigrations,
  type Transport,
} from '@bosun/bus';
import { type AnyService, type Component, type Logger, runMigrations } from '@bosun/core';
import type pg from 'pg';
import { Counter, Gauge, type Registry } from 'prom-client';

export interface OutboxParts {
  writer: OutboxWriter;
  schema: Component;
  relay: Component;
}

export interface OutboxPartsOptions {
  services: ReadonlyArray<AnyService>;
  /** The process's pool (after the database started). */
  pool: () => pg.Pool;
  /** The bus transport (after the bus started). */
  transport: () => Transport;
  log: Logger;
  registry?: Registry;
}

/** The outbox for the services that publish events; undefined when none does. */
export function outboxParts(options: OutboxPartsOptions): OutboxParts | undefined {
  const sources = options.services
    .filter((s) => Object.keys(s.events.publishes).length > 0)
    .map((s) => s.name);
  if (sources.length === 0) return undefined;
  const log = options.log.child({ component: 'outbox' });
  let relay: OutboxRelay | undefined;
  if (options.registry && !options.registry.getSingleMetric('bosun_outbox_relay_failures')) {
    new Gauge({
      name: 'bosun_outbox_relay_failures',
      help: 'Consecutive failed outbox relay passes (0 = publishing); rows wait in bosun_bus.outbox meanwhile',
      registers: [options.registry],
      collect() {
        this.set(relay?.status().consecutiveFailures ?? 0);
      },
    });
  }
  const counters = options.registry ? outboxCounters(options.registry, options.pool) : undefined;
  return {
    writer: createOutboxWriter({ schema: DEFAULT_OUTBOX_SCHEMA }),
    schema: {
      name: 'outbox:schema',
      async start() {
        const applied = await runMigrations(options.pool(), {
          schema: DEFAULT_OUTBOX_SCHEMA,
          migrations: outboxMigrations,
        });
        if (applied.length > 0) log.info({ schema: DEFAULT_OUTBOX_SCHEMA, applied }, 'migrations applied');
      },
    },
    relay: {
      name: 'outbox:relay',
      async start() {
        relay = createOutboxRelay({
          db: options.pool(),
          transport: options.transport(),
          sources,
          log,
          schema: DEFAULT_OUTBOX_SCHEMA,
          onPass: counters,
        });
        await relay.start();
      },
      health: () => relay?.status(),
      async stop(signal) {
        const r = relay;
        relay = undefined;
        if (!r) return;
        // One last pass for rows committed while draining, unless the bus is failing (it would
        // only wait for timeouts) or the stop deadline comes first; unsent rows are safe anyway.
        if (r.status().consecutiveFailures === 0) {
          const deadline = new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve()));
          await Promise.race([r.flush(), deadline]);
        }
        await r.stop();
      },
    },
  };
}

/**
 * OUTBOX_IS_OBSERVABLE: events published and publishes failed (counters, per relay pass), and
 * the rows still waiting to be published (a gauge read from the table at scrape time, so it
 * counts every replica's backlog). Registered once per registry.
 */
function outboxCounters(
  registry: Registry,
  pool: () => pg.Pool,
): ((outcome: { published: number; failed: number }) => void) | undefined {
  if (registry.getSingleMetric('bosun_outbox_published_total')) return undefined;
  const published = new Counter({
    name: 'bosun_outbox_published_total',
    help: 'Events the outbox relay published to the bus (after commit)',
    registers: [registry],
  });
  const failed = new Counter({
    name: 'bosun_outbox_publish_failures_total',
    help: 'Outbox publishes the bus refused or timed out; the rows stay and are retried with backoff',
    registers: [registry],
  });
  new Gauge({
    name: 'bosun_outbox_pending',
    help: 'Events committed to bosun_bus.outbox and not yet published (every replica)',
    registers: [registry],
    async collect() {
      try {
        const { rows } = await pool().query<{ n: number }>(
          `SELECT count(*)::int AS n FROM "${DEFAULT_OUTBOX_SCHEMA}".outbox WHERE sent_at IS NULL`,
        );
        this.set(rows[0]?.n ?? 0);
      } catch {
        // Database unreachable: the database check on /readyz says so; keep the last value.
      }
    },
  });
  return ({ published: ok, failed: bad }) => {
    if (ok > 0) published.inc(ok);
    if (bad > 0) failed.inc(bad);
  };
}
