/**
 * Records how attempts end. Completions are buffered and flushed as one statement per
 * batch (COMPLETIONS_BATCHED): whatever finished while the previous flush was in
 * flight goes in the next one, so batches grow with load and a lone job is flushed at
 * once. Failures and releases are rare and run one statement each. A flush that fails
 * (database down) keeps its ids and retries with backoff; if the database stays away
 * past the job's expiry, the job runs again (at-least-once, never lost).
 */
import type pg from 'pg';
import type { QueueEmitter } from './events.js';
import type { QueueMetrics } from './metrics.js';
import { completeJobsSql } from './sql/complete-jobs.sql.js';
import { failJobsSql } from './sql/fail-jobs.sql.js';
import { releaseJobsSql } from './sql/release-jobs.sql.js';
import type { Tables } from './sql/tables.js';
import type { StoredError } from './types.js';

const MAX_COMPLETE_BATCH = 1000;

export interface Outcomes {
  complete(id: string, attempt: number, output: unknown): void;
  fail(name: string, id: string, attempt: number, error: StoredError, noRetry: boolean): Promise<void>;
  release(name: string, jobs: ReadonlyArray<{ id: string; attempt: number }>): Promise<number>;
  /** Resolves once every buffered completion is written (or the retry budget is spent). */
  flush(): Promise<void>;
}

export interface OutcomeDeps {
  pool: pg.Pool;
  tables: Tables;
  emitter: QueueEmitter;
  metrics: QueueMetrics;
  onError(during: string, error: unknown): void;
  /** Called with queue names that got ready jobs (retries without delay, dead letters). */
  onReady(names: Set<string>): void;
}

export function createOutcomes(deps: OutcomeDeps): Outcomes {
  const complete = completeJobsSql(deps.tables);
  const fail = failJobsSql(deps.tables);
  const release = releaseJobsSql(deps.tables);
  let ids: string[] = [];
  let attempts: number[] = [];
  let outputs: unknown[] = [];
  let anyOutput = false;
  let flushing: Promise<void> | undefined;
  let scheduled = false;
  let backoff = 0;

  async function writeBatch(): Promise<void> {
    while (ids.length > 0) {
      const n = Math.min(ids.length, MAX_COMPLETE_BATCH);
      const batchIds = ids.slice(0, n);
      const batchAttempts = attempts.slice(0, n);
      const batchOutputs = anyOutput ? JSON.stringify(outputs.slice(0, n).map((o) => o ?? null)) : null;
      try {
        // Unnamed on purpose: the generic plan of a prepared version scanned the expiry index
        // (dead entries included) and got 5-8x slower; planning per batch costs ~0.2 ms.
        await deps.pool.query(complete.text, [batchIds, batchAttempts, batchOutputs]);
        backoff = 0;
      } catch (error) {
        deps.onError('complete', error);
        backoff = Math.min(backoff * 2 || 100, 5000);
        await new Promise((r) => setTimeout(r, backoff));
        continue;
      }
      ids = ids.slice(n);
      attempts = attempts.slice(n);
      outputs = outputs.slice(n);
      if (ids.length === 0) anyOutput = false;
    }
  }

  function startFlush(): Promise<void> {
    scheduled = false;
    if (!flushing) {
      flushing = writeBatch().finally(() => {
        flushing = undefined;
      });
    }
    return flushing;
  }

  return {
    complete(id, attempt, output) {
      ids.push(id);
      attempts.push(attempt);
      outputs.push(output);
      if (output !== undefined && output !== null) anyOutput = true;
      if (!scheduled && !flushing) {
        scheduled = true;
        setImmediate(startFlush);
      }
    },
    async fail(name, id, attempt, error, noRetry) {
      const result = await deps.pool.query<{ outcome: string; id: string; name: string; ready: boolean }>(
        fail.text,
        [[id], [attempt], JSON.stringify([error]), [noRetry]],
      );
      const ready = new Set<string>();
      let willRetry = false;
      for (const row of result.rows) {
        if (row.outcome === 'retried') willRetry = true;
        if (row.ready) ready.add(row.name);
      }
      if (result.rows.length === 0) return; // no longer ours (expired, cancelled)
      deps.metrics.outcome(name, willRetry ? 'retried' : 'failed');
      deps.emitter.emit('job:failed', { name, id, attempt, error, willRetry });
      if (willRetry) deps.emitter.emit('job:retried', { name, id, attempt });
      for (const row of result.rows) {
        if (row.outcome === 'dead_letter') {
          deps.emitter.emit('job:dead-lettered', { name, id, deadLetter: row.name, deadLetterId: row.id });
        }
      }
      if (ready.size > 0) deps.onReady(ready);
    },
    async release(name, jobs) {
      if (jobs.length === 0) return 0;
      const result = await deps.pool.query(release.text, [jobs.map((j) => j.id), jobs.map((j) => j.attempt)]);
      const n = result.rowCount ?? 0;
      deps.metrics.outcome(name, 'released', n);
      deps.emitter.emit('job:released', { name, count: n });
      if (n > 0) deps.onReady(new Set([name]));
      return n;
    },
    async flush() {
      while (ids.length > 0 || flushing) await startFlush();
    },
  };
}
