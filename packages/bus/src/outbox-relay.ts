/**
 * The read half of the transactional outbox: publishes committed outbox rows of this
 * process's services to the bus, then marks them sent. It wakes on the NOTIFY each write
 * queues (delivered at COMMIT), polls as a fallback, takes rows in batches, and deletes
 * sent rows after a retention window.
 *
 * Invariants:
 * - RELAY_IS_AT_LEAST_ONCE: a row stays unsent until the bus has stored its event; a
 *   failed publish (NATS down, timeout) leaves it to be retried with backoff, and a relay
 *   that dies between publishing and marking loses its lease, so the row is published
 *   again. No row is ever dropped.
 * - DEDUP_BY_EVENT_ID: every publish of a row carries the event id as the bus message id
 *   (JetStream Nats-Msg-Id; the in-process broker remembers ids too), so the retries of
 *   RELAY_IS_AT_LEAST_ONCE reach subscribers once within the duplicate window (2 min).
 * - RELAYS_NEVER_SHARE_A_ROW: rows are leased with FOR UPDATE SKIP LOCKED, so relays in
 *   several replicas split the work instead of racing on it.
 * - RELAY_PUBLISHES_ITS_OWN_SOURCES: only rows whose `source` is one of `sources`, so an
 *   in-process bus never swallows another process's events.
 * - POLL_FALLBACK: a lost NOTIFY (listener reconnecting) only delays a row to the next poll.
 * Not here: writing rows (outbox-writer.ts), the table (outbox-migrations.ts), ordering —
 * rows go out roughly in write order, but events are independent and may be reordered.
 */
import type { DbPort, Logger } from '@bosun/core';
import { DEFAULT_OUTBOX_SCHEMA } from './outbox-migrations.js';
import { claimOutboxSql } from './sql/claim-outbox.sql.js';
import { outboxTables } from './sql/outbox-tables.js';
import { cleanupOutboxSql, markOutboxSentSql, releaseOutboxSql } from './sql/settle-outbox.sql.js';
import type { BusHeaders, Transport } from './transport.port.js';

/** A pooled connection kept for LISTEN; pg's PoolClient fits it. */
export interface OutboxListenClient {
  query(text: string): Promise<unknown>;
  on(event: 'notification', listener: (message: { channel: string; payload?: string }) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  removeListener(
    event: 'notification',
    listener: (message: { channel: string; payload?: string }) => void,
  ): unknown;
  release(error?: Error | boolean): void;
}

/** What the relay needs from PostgreSQL; pg's Pool fits it. */
export interface OutboxPool extends DbPort {
  connect(): Promise<OutboxListenClient>;
}

export interface OutboxRelayOptions {
  db: OutboxPool;
  transport: Transport;
  /** The services whose rows this relay publishes. */
  sources: ReadonlyArray<string>;
  log: Logger;
  /** Schema of the outbox table. Default `bosun_bus`. */
  schema?: string;
  /** Rows per claim. Default 100. */
  batchSize?: number;
  /** Poll for rows whose NOTIFY was missed. Default 1000 ms. */
  pollIntervalMs?: number;
  /** How long a claimed row is reserved for this relay. Default 30_000 ms. */
  leaseMs?: number;
  /** Backoff after a failed publish: initial * 2^(n-1), capped. Default 250 / 30_000 ms. */
  retry?: { initialDelayMs?: number; maxDelayMs?: number };
  /** Sent rows are kept this long, then deleted. Default 3_600_000 ms (1 h). */
  retentionMs?: number;
  /** How often sent rows are cleaned up. Default 60_000 ms. */
  cleanupIntervalMs?: number;
  /** Told how many events each pass published and how many publishes failed (metrics). Must not throw. */
  onPass?: (outcome: { published: number; failed: number }) => void;
}

export interface OutboxRelay {
  /** Listens, polls, and publishes the backlog. Idempotent. */
  start(): Promise<void>;
  /** Publishes every due row now; resolves when the pass ends (also when it fails). */
  flush(): Promise<void>;
  /** True while the LISTEN connection is up. */
  readonly listening: boolean;
  /** For metrics and /readyz details: 0 failures means the last pass published everything it took. */
  status(): { listening: boolean; consecutiveFailures: number; lastError?: string };
  /** Stops waking; a batch in flight finishes first. Idempotent. */
  stop(): Promise<void>;
}

interface ClaimedRow extends Record<string, unknown> {
  seq: string;
  event_id: string;
  subject: string;
  payload: string;
  headers: BusHeaders;
  attempts: number;
}

export function createOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const { db, transport, log } = options;
  const tables = outboxTables(options.schema ?? DEFAULT_OUTBOX_SCHEMA);
  const sql = {
    claim: claimOutboxSql(tables),
    sent: markOutboxSentSql(tables),
    release: releaseOutboxSql(tables),
    cleanup: cleanupOutboxSql(tables),
  };
  const sources = [...options.sources];
  const own = new Set(sources);
  const batchSize = options.batchSize ?? 100;
  const pollMs = options.pollIntervalMs ?? 1000;
  const leaseMs = options.leaseMs ?? 30_000;
  const initialDelay = options.retry?.initialDelayMs ?? 250;
  const maxDelay = options.retry?.maxDelayMs ?? 30_000;
  const retentionMs = options.retentionMs ?? 3_600_000;
  const encoder = new TextEncoder();

  let started = false;
  let stopped = false;
  let running: Promise<void> | undefined;
  let again = false;
  let failures = 0;
  let lastError: string | undefined;
  let lastFailureAt = 0;
  let listener: { client: OutboxListenClient; close(): void } | undefined;
  let listenBackoff = 100;
  const timers = new Set<NodeJS.Timeout>();

  const later = (ms: number, fn: () => void) => {
    if (stopped) return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
  };

  const backOff = (error: unknown, during: string) => {
    failures++;
    lastFailureAt = Date.now();
    lastError = `${during}: ${error instanceof Error ? error.message : String(error)}`.slice(0, 500);
    const delay = Math.min(initialDelay * 2 ** (failures - 1), maxDelay);
    log.warn({ err: error, during, retryInMs: delay }, 'outbox relay failed; rows stay in the outbox');
    later(delay, () => void wake());
  };

  const recovered = () => {
    if (failures > 0) log.info({ after: failures }, 'outbox relay publishing again');
    failures = 0;
    lastError = undefined;
  };

  async function publishBatch(): Promise<'more' | 'done' | 'failed'> {
    let rows: ClaimedRow[];
    try {
      ({ rows } = await db.query<ClaimedRow>(sql.claim, [sources, batchSize, leaseMs]));
    } catch (error) {
      backOff(error, 'claim');
      return 'failed';
    }
    if (rows.length === 0) {
      // A row that failed here is due again at most maxDelay later; an empty claim after that
      // means none of ours is waiting (another replica may have published it).
      if (failures > 0 && Date.now() - lastFailureAt > maxDelay) recovered();
      return 'done';
    }
    rows.sort((a, b) => Number(a.seq) - Number(b.seq));
    const results = await Promise.allSettled(
      rows.map((row) =>
        transport.publishDurable(transport.subjects.event(row.subject), encoder.encode(row.payload), {
          id: row.event_id,
          headers: row.headers,
        }),
      ),
    );
    const sent: string[] = [];
    const failed: string[] = [];
    let firstError: unknown;
    results.forEach((result, i) => {
      if (result.status === 'fulfilled') sent.push(rows[i]!.seq);
      else {
        failed.push(rows[i]!.seq);
        firstError ??= result.reason;
      }
    });
    try {
      // Counted once the bus acked them, whatever marking them sent does next.
      options.onPass?.({ published: sent.length, failed: failed.length });
    } catch {}
    try {
      if (sent.length > 0) await db.query(sql.sent, [sent]);
      if (failed.length > 0) {
        const message = String((firstError as Error)?.message ?? firstError).slice(0, 1000);
        await db.query(sql.release, [failed, initialDelay, maxDelay, message]);
      }
    } catch (error) {
      // The events are on the bus; their rows are published again once the lease ends
      // (RELAY_IS_AT_LEAST_ONCE) and de-duplicated by id (DEDUP_BY_EVENT_ID).
      backOff(error, 'mark');
      return 'failed';
    }
    if (failed.length > 0) {
      backOff(firstError, 'publish');
      return 'failed';
    }
    recovered();
    return rows.length < batchSize ? 'done' : 'more';
  }

  function wake(): Promise<void> {
    if (stopped || !started) return Promise.resolve();
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          let outcome: 'more' | 'done' | 'failed';
          do outcome = await publishBatch();
          while (outcome === 'more' && !stopped);
          if (outcome === 'failed') return;
        } while (again && !stopped);
      } finally {
        running = undefined;
      }
    })();
    return running;
  }

  async function listen(): Promise<void> {
    const client = await db.connect();
    let done = false;
    const onNotification = (message: { channel: string; payload?: string }) => {
      if (message.channel === tables.channel && (!message.payload || own.has(message.payload))) void wake();
    };
    // The connection is never handed back to the pool: it holds LISTEN state and our
    // listeners, so it is destroyed (release(error or true)) exactly once.
    const close = (error?: Error) => {
      if (done) return;
      done = true;
      client.removeListener('notification', onNotification);
      if (listener?.client === client) listener = undefined;
      client.release(error ?? true);
    };
    const onError = (error: Error) => {
      if (done) return;
      close(error);
      log.warn({ err: error }, 'outbox LISTEN connection lost; polling until it is back');
      reconnect();
    };
    // Stays attached after close: a destroyed client may still emit a late error.
    client.on('error', onError);
    client.on('notification', onNotification);
    try {
      await client.query(`LISTEN ${tables.channelIdent}`);
    } catch (error) {
      onError(error as Error);
      return;
    }
    if (stopped) {
      close();
      return;
    }
    listener = { client, close: () => close() };
    listenBackoff = 100;
  }

  function reconnect(): void {
    const delay = listenBackoff;
    listenBackoff = Math.min(listenBackoff * 2, 5000);
    later(delay, () => {
      listen().catch((error) => {
        log.warn({ err: error }, 'outbox LISTEN failed; retrying');
        reconnect();
      });
    });
  }

  const poll = () =>
    later(pollMs, () => {
      void wake().finally(poll);
    });

  const cleanup = () =>
    later(options.cleanupIntervalMs ?? 60_000, () => {
      db.query(sql.cleanup, [retentionMs, 10_000])
        .catch((error) => log.warn({ err: error }, 'outbox cleanup failed; it runs again later'))
        .finally(cleanup);
    });

  return {
    get listening() {
      return listener !== undefined;
    },
    status() {
      const listening = listener !== undefined;
      return lastError === undefined
        ? { listening, consecutiveFailures: failures }
        : { listening, consecutiveFailures: failures, lastError };
    },
    async start() {
      if (started) return;
      started = true;
      stopped = false;
      await listen().catch((error) => {
        log.warn({ err: error }, 'outbox LISTEN failed; polling until it connects');
        reconnect();
      });
      poll();
      cleanup();
      void wake();
    },
    flush: () => wake(),
    async stop() {
      if (stopped) return;
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await running;
      listener?.close();
    },
  };
}
