/**
 * Cross-process wake-ups over LISTEN/NOTIFY. NOTIFY_PER_BATCH: senders call `notify()`
 * once per insert batch, and at most one NOTIFY statement is in flight per process
 * (names that arrive meanwhile ride on the next one), in its own autocommit statement,
 * so job inserts never take PostgreSQL's notify commit lock. Our own notifications are
 * ignored (the sender already woke its local workers). The LISTEN connection
 * reconnects with backoff (RECONNECT_WITH_BACKOFF); missed notifications only delay
 * work until the workers' next poll (POLL_FALLBACK).
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Tables } from './sql/tables.js';
import type { QueueLogger } from './types.js';

export interface Notifier {
  readonly instanceId: string;
  start(): Promise<void>;
  notify(names: Iterable<string>): void;
  /** True while the LISTEN connection is up. */
  readonly connected: boolean;
  stop(): Promise<void>;
}

export interface NotifierDeps {
  pool: pg.Pool;
  connection: pg.ClientConfig;
  tables: Tables;
  log: QueueLogger;
  onWake(name: string): void;
  onError(during: string, error: unknown): void;
}

export function createNotifier(deps: NotifierDeps): Notifier {
  const instanceId = randomUUID().slice(0, 8);
  const { tables } = deps;
  let client: pg.Client | undefined;
  let stopped = false;
  let connected = false;
  let retryTimer: NodeJS.Timeout | undefined;
  let backoff = 100;
  let notifying = false;
  const waiting = new Set<string>();

  async function connect(): Promise<void> {
    const c = new pg.Client(deps.connection);
    c.on('error', (error) => {
      deps.onError('listen', error);
      lost(c);
    });
    c.on('end', () => lost(c));
    c.on('notification', (msg) => {
      const payload = msg.payload ?? '';
      const bar = payload.indexOf('|');
      if (payload.slice(0, bar) === instanceId) return;
      for (const name of payload.slice(bar + 1).split('\n')) if (name) deps.onWake(name);
    });
    await c.connect();
    await c.query(`LISTEN ${tables.channelIdent}`);
    if (stopped) {
      await c.end().catch(() => {});
      return;
    }
    client = c;
    connected = true;
    backoff = 100;
  }

  function lost(c: pg.Client): void {
    if (client !== c) return;
    client = undefined;
    connected = false;
    c.end().catch(() => {});
    schedule();
  }

  function schedule(): void {
    if (stopped || retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      connect().catch((error) => {
        deps.onError('listen', error);
        backoff = Math.min(backoff * 2, 5000);
        schedule();
      });
    }, backoff);
  }

  async function sendNotify(): Promise<void> {
    notifying = true;
    try {
      while (waiting.size > 0 && !stopped) {
        const names = [...waiting];
        waiting.clear();
        // NOTIFY payloads are limited to 8000 bytes; split long name lists.
        let chunk = '';
        for (const name of names) {
          if (chunk.length + name.length > 7000) {
            await deps.pool.query('SELECT pg_notify($1, $2)', [tables.channel, `${instanceId}|${chunk}`]);
            chunk = '';
          }
          chunk += chunk ? `\n${name}` : name;
        }
        if (chunk)
          await deps.pool.query('SELECT pg_notify($1, $2)', [tables.channel, `${instanceId}|${chunk}`]);
      }
    } catch (error) {
      deps.onError('notify', error);
    } finally {
      notifying = false;
    }
  }

  return {
    instanceId,
    get connected() {
      return connected;
    },
    async start() {
      stopped = false;
      try {
        await connect();
      } catch (error) {
        deps.onError('listen', error);
        schedule();
      }
    },
    notify(names) {
      for (const name of names) waiting.add(name);
      if (!notifying) void sendNotify();
    },
    async stop() {
      stopped = true;
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = undefined;
      const c = client;
      client = undefined;
      connected = false;
      if (c) await c.end().catch(() => {});
    },
  };
}
