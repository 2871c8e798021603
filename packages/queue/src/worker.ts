/**
 * One queue's worker in this process: claims jobs in batches with SKIP LOCKED, runs up
 * to `concurrency` handler calls, and hands results to the outcome recorder.
 *
 * Invariants:
 * - CLAIMS_BATCHED: one claim asks for every free slot (up to 500), plus claim-ahead
 *   (`prefetch`) while handlers are fast; then up to two claims overlap, so claims are in
 *   flight while jobs run.
 * - READY_GATES_INTAKE: after `stop()` begins, no claim starts; claimed jobs that never
 *   started are released at once, running ones get until the deadline, then are
 *   released without counting the attempt (RELEASE_UNCOUNTED).
 * - POLL_FALLBACK: an idle worker polls every `pollIntervalMs`, so a lost wake-up
 *   delays a job but never strands it.
 * - VALIDATION_NOT_RETRIED: data failing the worker's schema fails the job without retry.
 */
import type pg from 'pg';
import type { z } from 'zod';
import type { QueueEmitter } from './events.js';
import type { Outcomes } from './job-outcomes.js';
import type { QueueMetrics } from './metrics.js';
import { queueErrors } from './queue.errors.js';
import { claimJobsSql } from './sql/claim-jobs.sql.js';
import { progressSql } from './sql/progress.sql.js';
import type { Tables } from './sql/tables.js';
import { toStoredError } from './stored-error.js';
import type { QueueJob } from './types.js';

const MAX_CLAIM = 500;
/** Claim-ahead applies while the average handler run stays under this. */
const FAST_HANDLER_MS = 5;

export interface ClaimedRow {
  id: string;
  data: unknown;
  attempt: number;
  retry_limit: number;
  priority: number;
  singleton_key: string | null;
  traceparent: string | null;
}

export interface WorkerConfig {
  name: string;
  concurrency: number;
  batchSize: number;
  prefetch: number;
  pollIntervalMs: number;
  schema: z.ZodType | undefined;
  handler: (arg: never) => unknown;
}

export interface WorkerDeps {
  pool: pg.Pool;
  tables: Tables;
  workerId: string;
  outcomes: Outcomes;
  emitter: QueueEmitter;
  metrics: QueueMetrics;
  onError(error: unknown): void;
  onHealthy(): void;
}

export interface Worker {
  readonly name: string;
  /** Stored as locked_by on the jobs it claims. */
  readonly id: string;
  wake(): void;
  /** IN_PROCESS_HANDOFF: reserves a slot when idle (queue last seen empty); false otherwise. */
  reserve(): boolean;
  /** Takes rows inserted already claimed for this worker, and returns `unused` reservations. */
  adopt(rows: ReadonlyArray<ClaimedRow>, unused: number): void;
  /** Stops intake; resolves when in-flight jobs finished or were released at the deadline. */
  stop(timeoutMs: number, graceful: boolean): Promise<void>;
}

export function createWorker(config: WorkerConfig, deps: WorkerDeps): Worker {
  const { name, concurrency, batchSize } = config;
  const claim = claimJobsSql(deps.tables);
  const progress = progressSql(deps.tables);
  const controller = new AbortController();
  const buffer: QueueJob[] = [];
  const running = new Set<QueueJob>();
  let calls = 0;
  /** Claims in flight, and how many jobs they asked for (counted against capacity). */
  let claiming = 0;
  let requested = 0;
  /** More ready jobs may exist: set by a wake-up or poll, and by a claim that came back full. */
  let mayHaveMore = true;
  let wokenWhileClaiming = false;
  let releasing: Promise<void> | undefined;
  let reserved = 0;
  let stopping = false;
  let avgMs = 0;
  let backoff = 0;
  let retryTimer: NodeJS.Timeout | undefined;
  let settled: (() => void) | undefined;
  const poll = setInterval(() => {
    mayHaveMore = true;
    pump();
  }, config.pollIntervalMs);
  poll.unref();

  function toJob(row: ClaimedRow): QueueJob {
    const id = String(row.id);
    const attempt = row.attempt;
    return {
      id,
      name,
      data: row.data,
      attempt,
      retryLimit: row.retry_limit,
      priority: row.priority,
      singletonKey: row.singleton_key,
      traceparent: row.traceparent ?? null,
      signal: controller.signal,
      progress: async (value, message) => {
        const json = JSON.stringify(message === undefined ? { value } : { value, message });
        await deps.pool.query({ name: progress.name, text: progress.text, values: [id, attempt, json] });
      },
    };
  }

  function capacity(): number {
    const slots = (concurrency - calls) * batchSize - reserved;
    const ahead = avgMs < FAST_HANDLER_MS ? config.prefetch : 0;
    return Math.min(MAX_CLAIM, slots + ahead - buffer.length - requested);
  }

  async function claimMore(): Promise<void> {
    const n = capacity();
    if (n <= 0 || stopping) return;
    claiming++;
    requested += n;
    wokenWhileClaiming = false;
    const started = performance.now();
    try {
      const result = await deps.pool.query<ClaimedRow>({
        name: claim.name,
        text: claim.text,
        values: [name, n, deps.workerId],
      });
      deps.metrics.claim(name, (performance.now() - started) / 1000);
      backoff = 0;
      deps.onHealthy();
      for (const row of result.rows) buffer.push(toJob(row));
      mayHaveMore = result.rows.length === n || wokenWhileClaiming;
    } catch (error) {
      deps.emitter.emit('worker:error', { name, error });
      deps.onError(error);
      backoff = Math.min(backoff * 2 || 100, 5000);
      retryTimer = setTimeout(() => {
        retryTimer = undefined;
        mayHaveMore = true;
        pump();
      }, backoff);
      retryTimer.unref();
    } finally {
      claiming--;
      requested -= n;
    }
    if (stopping) {
      releasing = Promise.all([releasing, releaseBuffered()]).then(() => {});
      return;
    }
    pump();
  }

  function pump(): void {
    if (stopping) return;
    while (calls < concurrency && buffer.length > 0) {
      const jobs = buffer.splice(0, batchSize);
      void run(jobs);
    }
    const ahead = avgMs < FAST_HANDLER_MS ? config.prefetch : 0;
    // With claim-ahead, two claims may overlap (PostgreSQL does the work; this process mostly
    // waits), and each claim waits until half the prefetch is free so it fetches in bulk.
    if (claiming >= (ahead > 0 ? 2 : 1) || retryTimer || !mayHaveMore) return;
    const n = capacity();
    if (n > 0 && (ahead === 0 || n >= ahead / 2)) void claimMore();
  }

  async function run(jobs: QueueJob[]): Promise<void> {
    calls++;
    for (const job of jobs) running.add(job);
    let valid = jobs;
    if (config.schema) {
      valid = [];
      for (const job of jobs) {
        const parsed = config.schema.safeParse(job.data);
        if (parsed.success) {
          job.data = parsed.data;
          valid.push(job);
        } else {
          const error = queueErrors.create(
            'BOSUN_QUEUE_DATA_INVALID',
            `Job ${job.id} on queue "${name}" has invalid data: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}. It is not retried; fix the sender.`,
          );
          running.delete(job);
          await deps.outcomes
            .fail(name, job.id, job.attempt, toStoredError(error), true)
            .catch((e) => deps.onError(e));
        }
      }
    }
    if (valid.length > 0) {
      const started = performance.now();
      try {
        const output = await (batchSize > 1
          ? (config.handler as (jobs: QueueJob[]) => unknown)(valid)
          : (config.handler as (job: QueueJob) => unknown)(valid[0]!));
        const ms = performance.now() - started;
        avgMs = avgMs * 0.9 + ms * 0.1;
        for (const job of valid) {
          if (!running.delete(job)) continue; // released at the stop deadline
          deps.outcomes.complete(job.id, job.attempt, batchSize > 1 ? undefined : output);
          deps.metrics.outcome(name, 'completed');
          deps.metrics.duration(name, ms / 1000);
          if (deps.emitter.has('job:completed')) {
            deps.emitter.emit('job:completed', { name, id: job.id, attempt: job.attempt, durationMs: ms });
          }
        }
      } catch (thrown) {
        avgMs = avgMs * 0.9 + (performance.now() - started) * 0.1;
        const stored = toStoredError(thrown);
        for (const job of valid) {
          if (!running.delete(job)) continue;
          await deps.outcomes.fail(name, job.id, job.attempt, stored, false).catch((e) => deps.onError(e));
        }
      }
    }
    calls--;
    if (stopping) {
      if (calls === 0) settled?.();
      return;
    }
    pump();
  }

  async function releaseBuffered(): Promise<void> {
    const jobs = buffer.splice(0, buffer.length);
    await deps.outcomes.release(name, jobs).catch((e) => deps.onError(e));
  }

  return {
    name,
    id: deps.workerId,
    reserve() {
      if (stopping || mayHaveMore || claiming > 0 || buffer.length > 0 || calls + reserved >= concurrency)
        return false;
      reserved++;
      return true;
    },
    adopt(rows, unused) {
      reserved = Math.max(0, reserved - rows.length - unused);
      for (const row of rows) buffer.push(toJob(row));
      if (stopping) {
        releasing = Promise.all([releasing, releaseBuffered()]).then(() => {});
        return;
      }
      pump();
    },
    wake() {
      mayHaveMore = true;
      if (claiming > 0) wokenWhileClaiming = true;
      pump();
    },
    async stop(timeoutMs, graceful) {
      if (stopping) return;
      stopping = true;
      clearInterval(poll);
      if (retryTimer) clearTimeout(retryTimer);
      if (claiming === 0) await releaseBuffered();
      if (calls > 0 && graceful) {
        const done = new Promise<void>((resolve) => {
          settled = resolve;
        });
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([done, new Promise<void>((r) => (timer = setTimeout(r, timeoutMs)))]);
        clearTimeout(timer);
      }
      await deps.outcomes.flush();
      if (running.size > 0) {
        const left = [...running];
        running.clear();
        controller.abort();
        await deps.outcomes.release(name, left).catch((e) => deps.onError(e));
      }
      while (claiming > 0) await new Promise((r) => setTimeout(r, 5));
      await releasing;
    },
  };
}
