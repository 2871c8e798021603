/**
 * The transactional outbox against a real PostgreSQL, on both adapters (a real NATS and
 * the in-process broker): OUTBOX_COMMITS_WITH_THE_ROW, RELAY_IS_AT_LEAST_ONCE,
 * DEDUP_BY_EVENT_ID, RELAYS_NEVER_SHARE_A_ROW, RELAY_PUBLISHES_ITS_OWN_SOURCES. Faults
 * are injected through the relay's dependencies (a db port whose mark-sent fails, a
 * transport that loses acks). "Exactly once at the subscriber" is checked with a sentinel
 * published last: one consumer gets events in stream order, so a duplicate stored before
 * the sentinel would arrive before it.
 */
import { runMigrations } from '@bosun/core';
import { useTestDatabase } from '@bosun/testing';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { busErrors } from '../src/bus.errors.js';
import { createEventBus, type EventBus, type EventEnvelope } from '../src/event-bus.js';
import { createInProcessBroker } from '../src/in-process.broker.js';
import { createInProcessTransport } from '../src/in-process.transport.js';
import { createNatsTransport } from '../src/nats.transport.js';
import { DEFAULT_OUTBOX_SCHEMA, outboxMigrations } from '../src/outbox-migrations.js';
import { createOutboxRelay, type OutboxPool, type OutboxRelay } from '../src/outbox-relay.js';
import { createOutboxWriter } from '../src/outbox-writer.js';
import type { Transport } from '../src/transport.port.js';
import { publisherService, randomRoot, silentLog, subscriberService } from './support/fixtures.js';
import { natsUrl, skipNats } from './support/nats.js';
import { type OwnNatsServer, ownNatsServer } from './support/own-nats-server.js';

const database = useTestDatabase({ label: 'bus_outbox' });
let pool: pg.Pool;
const SUBJECT = 'order.placed';
const SENTINEL = -1;

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: database.url, max: 8 });
  await runMigrations(pool, { schema: DEFAULT_OUTBOX_SCHEMA, migrations: outboxMigrations });
  await pool.query('CREATE TABLE orders (n integer NOT NULL)');
});
afterAll(async () => {
  await pool?.end();
});

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

let serviceCounter = 0;
const uniqueName = (base: string) => `${base}-${process.pid}-${++serviceCounter}`;

/** Runs `fn` in one transaction on its own client; ROLLBACK when it throws. */
async function inTransaction(fn: (client: pg.PoolClient) => Promise<void>): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await fn(client);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}

interface Harness {
  source: string;
  publisher: EventBus;
  /** How many times each `n` reached the subscriber, and the envelopes seen. */
  seen: Map<number, number>;
  relay(overrides?: { db?: OutboxPool; transport?: Transport; leaseMs?: number }): Promise<OutboxRelay>;
  /** Publishes the sentinel directly and waits for it: every earlier event has arrived by then. */
  settle(): Promise<void>;
  unsent(): Promise<number>;
}

type Connect = () => Promise<Transport>;

async function harness(connect: Connect): Promise<Harness> {
  const source = uniqueName('orders');
  const transport = await connect();
  const seen = new Map<number, number>();
  const subscriber = createEventBus(
    transport,
    subscriberService(uniqueName('ledger'), SUBJECT, ({ n }) => void seen.set(n, (seen.get(n) ?? 0) + 1)),
    { log: silentLog, backoff: { initialDelayMs: 10, maxDelayMs: 100 } },
  );
  await subscriber.start();
  const publisher = createEventBus(transport, publisherService(source, SUBJECT), {
    log: silentLog,
    outbox: createOutboxWriter(),
  });
  cleanups.push(() => subscriber.close());
  return {
    source,
    publisher,
    seen,
    async relay(overrides = {}) {
      const relay = createOutboxRelay({
        db: overrides.db ?? pool,
        transport: overrides.transport ?? transport,
        sources: [source],
        log: silentLog,
        pollIntervalMs: 100,
        leaseMs: overrides.leaseMs ?? 30_000,
        retry: { initialDelayMs: 20, maxDelayMs: 200 },
      });
      await relay.start();
      cleanups.push(() => relay.stop());
      return relay;
    },
    async settle() {
      await publisher.publish(SUBJECT, { n: SENTINEL });
      await expect.poll(() => seen.get(SENTINEL), { timeout: 20_000 }).toBe(1);
    },
    async unsent() {
      const { rows } = await pool.query(
        `SELECT count(*)::int AS n FROM ${DEFAULT_OUTBOX_SCHEMA}.outbox WHERE source = $1 AND sent_at IS NULL`,
        [source],
      );
      return rows[0].n as number;
    },
  };
}

/** A db port whose first `times` mark-sent statements fail, as if the relay died after publishing. */
function failingMarkSent(times: number): OutboxPool {
  let left = times;
  return {
    query: (text: string, values?: unknown[]) => {
      if (text.includes('SET sent_at') && left-- > 0) return Promise.reject(new Error('injected: db lost'));
      return pool.query(text, values) as never;
    },
    connect: () => pool.connect(),
  };
}

/** A transport that stores the first `times` events but loses their acks, so the relay retries them. */
function losingAcks(inner: Transport, times: number): Transport & { publishes: () => number } {
  let left = times;
  let publishes = 0;
  return Object.assign(Object.create(inner) as Transport, {
    async publishDurable(subject: string, data: Uint8Array, options: { id: string }) {
      publishes++;
      await inner.publishDurable(subject, data, options);
      if (left-- > 0) throw busErrors.create('BOSUN_BUS_DISCONNECTED', 'injected: ack lost');
    },
    publishes: () => publishes,
  });
}

const adapters: Array<[string, boolean, () => Connect]> = [
  [
    'in-process',
    false,
    () => {
      const broker = createInProcessBroker();
      const root = randomRoot();
      return async () => createInProcessTransport({ broker, root });
    },
  ],
  [
    'NATS',
    skipNats,
    () => {
      const root = randomRoot();
      return async () => {
        const t = await createNatsTransport({ servers: natsUrl!, root });
        cleanups.push(() => t.close());
        return t;
      };
    },
  ],
];

describe.each(adapters)('outbox over %s', (_name, skip, makeConnect) => {
  test.skipIf(skip)('a rolled-back transaction publishes nothing and leaves no row', async () => {
    const h = await harness(makeConnect());
    await h.relay();
    await expect(
      inTransaction(async (client) => {
        await client.query('INSERT INTO orders (n) VALUES (1001)');
        await h.publisher.publish(SUBJECT, { n: 1001 }, { db: client });
        throw new Error('business rule failed');
      }),
    ).rejects.toThrow('business rule failed');
    await h.settle();
    expect(h.seen.has(1001)).toBe(false);
    const rows = await pool.query(`SELECT 1 FROM ${DEFAULT_OUTBOX_SCHEMA}.outbox WHERE source = $1`, [
      h.source,
    ]);
    expect(rows.rowCount).toBe(0);
  });

  test.skipIf(skip)('a committed transaction publishes exactly its events, each once', async () => {
    const h = await harness(makeConnect());
    const envelopes: EventEnvelope[] = [];
    await h.relay();
    await inTransaction(async (client) => {
      await client.query('INSERT INTO orders (n) SELECT generate_series(2001, 2003)');
      for (const n of [2001, 2002, 2003]) await h.publisher.publish(SUBJECT, { n }, { db: client });
    });
    await expect.poll(() => [...h.seen.keys()].sort()).toEqual([2001, 2002, 2003]);
    // The relay marks rows sent once the bus has acked them, just after subscribers may see them.
    await expect.poll(() => h.unsent()).toBe(0);
    await h.settle();
    expect([...h.seen.entries()].sort()).toEqual([
      [-1, 1],
      [2001, 1],
      [2002, 1],
      [2003, 1],
    ]);
    const { rows } = await pool.query(
      `SELECT payload, sent_at FROM ${DEFAULT_OUTBOX_SCHEMA}.outbox WHERE source = $1 ORDER BY seq`,
      [h.source],
    );
    for (const row of rows) envelopes.push(row.payload as EventEnvelope);
    expect(rows.every((r) => r.sent_at instanceof Date)).toBe(true);
    expect(envelopes.map((e) => [e.v, e.source, e.subject, e.data])).toEqual(
      [2001, 2002, 2003].map((n) => [1, h.source, SUBJECT, { n }]),
    );
  });

  test.skipIf(skip)(
    'a relay that fails after publishing retries, and subscribers still get each event once',
    async () => {
      const connect = makeConnect();
      const h = await harness(connect);
      const transport = losingAcks(await connect(), 2);
      await h.relay({ db: failingMarkSent(1), transport, leaseMs: 100 });
      await inTransaction(async (client) => {
        for (const n of [3001, 3002]) await h.publisher.publish(SUBJECT, { n }, { db: client });
      });
      await expect.poll(() => h.unsent(), { timeout: 20_000 }).toBe(0);
      await h.settle();
      expect(transport.publishes()).toBeGreaterThan(2);
      expect(h.seen.get(3001)).toBe(1);
      expect(h.seen.get(3002)).toBe(1);
    },
  );

  test.skipIf(skip)('two relays on one outbox never publish the same row', async () => {
    const connect = makeConnect();
    const h = await harness(connect);
    const a = losingAcks(await connect(), 0);
    const b = losingAcks(await connect(), 0);
    await inTransaction(async (client) => {
      for (let n = 4000; n < 4200; n++) await h.publisher.publish(SUBJECT, { n }, { db: client });
    });
    await Promise.all([h.relay({ transport: a }), h.relay({ transport: b })]);
    await expect.poll(() => h.unsent(), { timeout: 20_000 }).toBe(0);
    expect(a.publishes() + b.publishes()).toBe(200);
    await h.settle();
    expect(h.seen.size).toBe(201);
  });

  test.skipIf(skip)('a relay publishes only the rows of its own services', async () => {
    const connect = makeConnect();
    const mine = await harness(connect);
    const other = await harness(connect);
    await mine.relay();
    await inTransaction(async (client) => {
      await other.publisher.publish(SUBJECT, { n: 5001 }, { db: client });
      await mine.publisher.publish(SUBJECT, { n: 5002 }, { db: client });
    });
    await expect.poll(() => mine.unsent()).toBe(0);
    await mine.settle();
    expect(await other.unsent()).toBe(1);
    await other.relay();
    await expect.poll(() => other.unsent()).toBe(0);
  });
});

describe('outbox writes', () => {
  test('publish with db on a bus without an outbox throws BOSUN_BUS_OUTBOX_NOT_CONFIGURED', async () => {
    const bus = createEventBus(
      createInProcessTransport({ root: randomRoot() }),
      publisherService('p', SUBJECT),
      {
        log: silentLog,
      },
    );
    await expect(bus.publish(SUBJECT, { n: 1 }, { db: pool })).rejects.toMatchObject({
      code: 'BOSUN_BUS_OUTBOX_NOT_CONFIGURED',
    });
  });

  test('invalid event data is refused before anything is written', async () => {
    const source = uniqueName('bad');
    const bus = createEventBus(
      createInProcessTransport({ root: randomRoot() }),
      publisherService(source, SUBJECT),
      {
        log: silentLog,
        outbox: createOutboxWriter(),
      },
    );
    await expect(bus.publish(SUBJECT, { n: 'one' }, { db: pool })).rejects.toMatchObject({
      code: 'BOSUN_VALIDATION_FAILED',
    });
    const rows = await pool.query(`SELECT 1 FROM ${DEFAULT_OUTBOX_SCHEMA}.outbox WHERE source = $1`, [
      source,
    ]);
    expect(rows.rowCount).toBe(0);
  });

  test('sent rows are deleted after the retention window; unsent rows never are', async () => {
    const source = uniqueName('cleanup');
    const transport = createInProcessTransport({ broker: createInProcessBroker(), root: randomRoot() });
    const bus = createEventBus(transport, publisherService(source, SUBJECT), {
      log: silentLog,
      outbox: createOutboxWriter(),
    });
    await bus.publish(SUBJECT, { n: 1 }, { db: pool });
    await pool.query(
      `INSERT INTO ${DEFAULT_OUTBOX_SCHEMA}.outbox (event_id, source, subject, payload, available_at)
       VALUES ($1, $2, $3, '{}', now() + interval '1 hour')`,
      [`${source}-later`, source, SUBJECT],
    );
    const relay = createOutboxRelay({
      db: pool,
      transport,
      sources: [source],
      log: silentLog,
      retentionMs: 0,
      cleanupIntervalMs: 20,
    });
    await relay.start();
    cleanups.push(() => relay.stop());
    await expect
      .poll(async () => {
        const { rows } = await pool.query(
          `SELECT event_id FROM ${DEFAULT_OUTBOX_SCHEMA}.outbox WHERE source = $1`,
          [source],
        );
        return rows.map((r) => r.event_id);
      })
      .toEqual([`${source}-later`]);
  });
});

describe('outbox relay connections', () => {
  test('a relay whose LISTEN connection is killed keeps publishing and listens again', async () => {
    const h = await harness(adapters[0]![2]());
    const relay = await h.relay();
    expect(relay.listening).toBe(true);
    await pool.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
       WHERE datname = current_database() AND pid <> pg_backend_pid() AND query LIKE 'LISTEN %outbox%'`,
    );
    await expect.poll(() => relay.listening).toBe(false);
    await h.publisher.publish(SUBJECT, { n: 7001 }, { db: pool });
    await expect.poll(() => h.seen.get(7001)).toBe(1);
    await expect.poll(() => relay.listening).toBe(true);
    expect(relay.status().consecutiveFailures).toBe(0);
  });
});

describe.skipIf(skipNats)('outbox while NATS is unreachable', () => {
  let server: OwnNatsServer;
  beforeAll(async () => {
    server = await ownNatsServer();
    await server.start();
  });
  afterAll(async () => {
    await server?.dispose();
  });

  test('events committed while NATS is down stay in the outbox and are published once it returns', async () => {
    const root = randomRoot();
    const connect = async () => {
      const t = await createNatsTransport({ servers: server.url, root, reconnectTimeWaitMs: 50 });
      cleanups.push(() => t.close());
      return t;
    };
    const h = await harness(connect);
    const relay = await h.relay();
    await server.stop();
    await inTransaction(async (client) => {
      for (let n = 6000; n < 6050; n++) await h.publisher.publish(SUBJECT, { n }, { db: client });
    });
    // The relay tries, fails and keeps the rows, recording why.
    await expect
      .poll(
        async () =>
          (
            await pool.query(
              `SELECT count(*)::int AS n FROM ${DEFAULT_OUTBOX_SCHEMA}.outbox
               WHERE source = $1 AND sent_at IS NULL AND attempts > 0 AND last_error IS NOT NULL`,
              [h.source],
            )
          ).rows[0].n,
        { timeout: 30_000 },
      )
      .toBe(50);
    expect(relay.status()).toMatchObject({
      consecutiveFailures: expect.any(Number),
      lastError: expect.any(String),
    });
    expect(relay.status().consecutiveFailures).toBeGreaterThan(0);
    await server.start();
    await expect.poll(() => h.unsent(), { timeout: 30_000 }).toBe(0);
    await expect.poll(() => relay.status().consecutiveFailures).toBe(0);
    await h.settle();
    expect(h.seen.size).toBe(51);
    expect([...h.seen.values()].every((count) => count === 1)).toBe(true);
  });
});
