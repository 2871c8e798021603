/**
 * Periodic upkeep run by every started queue instance; safe to run in any number of
 * processes at once because each step takes its rows with SKIP LOCKED.
 * - EXPIRED_IS_RETRIED: active jobs past expireInSeconds (e.g. their worker was
 *   killed) are failed with BOSUN_QUEUE_JOB_EXPIRED and retried or dead-lettered.
 * - RETENTION_NEVER_BLOCKS_CLAIM: archived jobs past retention are deleted in bounded
 *   batches from the archive only; the hot table is never touched.
 */
import type pg from 'pg';
import type { QueueEmitter } from './events.js';
import type { QueueMetrics } from './metrics.js';
import { cleanupArchiveSql } from './sql/cleanup-archive.sql.js';
import { expireJobsSql } from './sql/fail-jobs.sql.js';
import type { Tables } from './sql/tables.js';

const SWEEP_BATCH = 500;
const CLEANUP_BATCH = 5000;
const CLEANUP_EVERY = 30;

export interface MaintenanceDeps {
  pool: pg.Pool;
  tables: Tables;
  emitter: QueueEmitter;
  metrics: QueueMetrics;
  intervalMs: number;
  onReady(names: Set<string>): void;
  onError(during: string, error: unknown): void;
}

export interface Maintenance {
  /** One sweep now: expire overdue jobs; returns how many expired. */
  sweep(): Promise<number>;
  stop(): Promise<void>;
}

const EXPIRED_ERROR = JSON.stringify({
  message: 'The job ran longer than its expireInSeconds (or its worker died) and was failed.',
  code: 'BOSUN_QUEUE_JOB_EXPIRED',
});

export function startMaintenance(deps: MaintenanceDeps): Maintenance {
  const expire = expireJobsSql(deps.tables);
  const cleanup = cleanupArchiveSql(deps.tables);
  let runs = 0;
  let current: Promise<unknown> | undefined;

  async function sweep(): Promise<number> {
    let total = 0;
    for (;;) {
      const result = await deps.pool.query<{ outcome: string; name: string; ready: boolean }>({
        name: expire.name,
        text: expire.text,
        values: [EXPIRED_ERROR, SWEEP_BATCH],
      });
      const ready = new Set<string>();
      let expired = 0;
      for (const row of result.rows) {
        if (row.outcome !== 'dead_letter') {
          expired++;
          deps.metrics.outcome(row.name, 'expired');
        }
        if (row.ready) ready.add(row.name);
      }
      total += expired;
      if (ready.size > 0) deps.onReady(ready);
      if (expired < SWEEP_BATCH) break;
    }
    if (total > 0) deps.emitter.emit('job:expired', { count: total });
    return total;
  }

  async function tick(): Promise<void> {
    try {
      await sweep();
      if (runs++ % CLEANUP_EVERY === 0) {
        let deleted = CLEANUP_BATCH;
        while (deleted === CLEANUP_BATCH) {
          deleted = (await deps.pool.query(cleanup, [CLEANUP_BATCH])).rowCount ?? 0;
        }
      }
    } catch (error) {
      deps.onError('maintenance', error);
    }
  }

  const timer = setInterval(() => {
    if (!current) current = tick().finally(() => (current = undefined));
  }, deps.intervalMs);
  timer.unref();

  return {
    sweep,
    async stop() {
      clearInterval(timer);
      await current;
    },
  };
}
