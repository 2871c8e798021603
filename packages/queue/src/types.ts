/**
 * Public types of @bosun/queue: the job a handler sees, worker and send options, stats
 * and the logger/clock dependencies. Option names follow pg-boss.
 */
import type { DbPort, JobSendOptions } from '@bosun/core';
import type { z } from 'zod';

/**
 * Options accepted by `send()`; `db` enqueues inside the caller's transaction and
 * `traceparent` (W3C) is stored on the row and handed to the handler (TRACE_RIDES_THE_JOB).
 */
export type SendOptions = JobSendOptions;

/** Per-queue defaults and the data schema, declared once with `queue.define()`. */
export interface QueueDefinition {
  /** Zod schema: `send()` rejects invalid data; a claimed job with invalid data fails without retry. */
  schema?: z.ZodType;
  priority?: number;
  retryLimit?: number;
  retryDelay?: number;
  retryBackoff?: boolean;
  expireInSeconds?: number;
  retentionSeconds?: number;
  deadLetter?: string;
}

export interface WorkOptions {
  /** Handler calls running at once in this process. Default 8. */
  concurrency?: number;
  /** Jobs per handler call; above 1 the handler receives an array. Default 1. */
  batchSize?: number;
  /** Validates each job's data (overrides the `define()` schema). Invalid data fails without retry. */
  schema?: z.ZodType;
  /**
   * Claimed-but-not-started jobs held locally when handlers are fast (under 5 ms on
   * average). Default 100; 0 disables claim-ahead.
   */
  prefetch?: number;
}

/** A claimed job, as a handler receives it. */
export interface QueueJob<D = unknown> {
  id: string;
  name: string;
  data: D;
  /** 1 on the first run. */
  attempt: number;
  retryLimit: number;
  priority: number;
  singletonKey: string | null;
  /** The W3C traceparent the job was sent with (TRACE_RIDES_THE_JOB), if any. */
  traceparent: string | null;
  /** Aborted when the queue stops and the graceful deadline passes (the job is then released). */
  signal: AbortSignal;
  /** Records progress, visible in getJob(); best-effort. */
  progress(value: number, message?: string): Promise<void>;
}

export type JobHandler<D = unknown> = (job: QueueJob<D>) => unknown;
export type BatchHandler<D = unknown> = (jobs: QueueJob<D>[]) => unknown;

/** An error as stored on a job row. */
export interface StoredError {
  message: string;
  code: string;
  stack?: string;
}

export type JobState = 'created' | 'retry' | 'active' | 'completed' | 'failed' | 'cancelled';

export interface JobRecord {
  id: string;
  name: string;
  data: unknown;
  state: JobState;
  priority: number;
  attempt: number;
  retryLimit: number;
  singletonKey: string | null;
  deadLetter: string | null;
  /** For a dead-letter copy: the queue the job failed on. */
  origin: string | null;
  createdAt: Date;
  startedAt: Date | null;
  runAt: Date | null;
  finishedAt: Date | null;
  progress: { value: number; message?: string } | null;
  lastError: StoredError | null;
  output: unknown;
  /** The W3C traceparent of the context that sent the job, if it had one. */
  traceparent: string | null;
}

/** A job as a list shows it: everything but its data and output (read those with getJob). */
export type JobSummary = Omit<JobRecord, 'data' | 'output'>;

export interface ListJobsOptions {
  /** Only jobs in this state. */
  state?: JobState;
  /** Page size, 1 to 500. Default 50. */
  limit?: number;
  /** Keyset cursor: the `next` of the previous page (jobs with a smaller id). */
  before?: string;
  /** Only jobs created at or after this time. */
  createdAfter?: Date | string;
  /** Only jobs created before this time. */
  createdBefore?: Date | string;
}

/** A dead-letter queue with jobs waiting for redrive, per original queue. */
export interface DeadLetterQueue {
  name: string;
  /** The queue whose failed jobs were copied here. */
  origin: string;
  /** Queued jobs (redrive() moves them back to `origin`). */
  waiting: number;
}

export interface QueueStats {
  name: string;
  /** Ready or retrying (due now), scheduled (due later), active, and finished states retained. */
  counts: Record<'created' | 'retry' | 'scheduled' | 'active' | 'completed' | 'failed' | 'cancelled', number>;
  /** Seconds since the oldest ready job became due; 0 when none waits. */
  oldestQueuedSeconds: number;
}

/** The pino-compatible subset the queue logs through. */
export interface QueueLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export type { DbPort };
