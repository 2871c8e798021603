/**
 * Job administration: read, cancel, retry, delete, redrive, stats. Each returns a plain
 * value or throws BOSUN_QUEUE_JOB_NOT_FOUND for an id that names no job.
 */
import type pg from 'pg';
import { queueErrors } from './queue.errors.js';
import { cancelJobSql } from './sql/cancel-job.sql.js';
import { deleteJobSql } from './sql/delete-job.sql.js';
import { getJobSql } from './sql/get-job.sql.js';
import { listJobsSql } from './sql/list-jobs.sql.js';
import { deadLetterQueuesSql, queueNamesSql } from './sql/queue-names.sql.js';
import { redriveSql } from './sql/redrive.sql.js';
import { retryJobSql } from './sql/retry-job.sql.js';
import { statsSql } from './sql/stats.sql.js';
import type { Tables } from './sql/tables.js';
import type {
  DeadLetterQueue,
  JobRecord,
  JobState,
  JobSummary,
  ListJobsOptions,
  QueueStats,
} from './types.js';

const ID_PATTERN = /^[1-9][0-9]{0,18}$/;

function assertId(id: unknown): asserts id is string {
  if (typeof id !== 'string' || !ID_PATTERN.test(id)) {
    throw queueErrors.create(
      'BOSUN_QUEUE_JOB_NOT_FOUND',
      `No job has id ${JSON.stringify(id)}; ids are decimal strings returned by send().`,
    );
  }
}

function notFound(id: string) {
  return queueErrors.create(
    'BOSUN_QUEUE_JOB_NOT_FOUND',
    `No job has id ${id}; it may have been deleted or its retention passed.`,
    { meta: { id } },
  );
}

export interface Admin {
  getJob(id: string): Promise<JobRecord | null>;
  cancel(id: string): Promise<boolean>;
  retry(id: string): Promise<boolean>;
  deleteJob(id: string): Promise<boolean>;
  redrive(deadLetterName: string): Promise<{ count: number; names: Set<string> }>;
  stats(name: string): Promise<QueueStats>;
  listJobs(name: string, options?: ListJobsOptions): Promise<{ jobs: JobSummary[]; next: string | null }>;
  queueNames(): Promise<string[]>;
  deadLetterQueues(): Promise<DeadLetterQueue[]>;
}

function timeOption(name: string, value: Date | string | undefined): Date | null {
  if (value === undefined) return null;
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) {
    throw queueErrors.create(
      'BOSUN_QUEUE_OPTIONS_INVALID',
      `listJobs: ${name} must be a Date or an ISO 8601 time; got ${JSON.stringify(value)}.`,
    );
  }
  return date;
}

const STATES: ReadonlySet<JobState> = new Set([
  'created',
  'retry',
  'active',
  'completed',
  'failed',
  'cancelled',
]);

export function createAdmin(pool: pg.Pool, t: Tables): Admin {
  async function getJob(id: string): Promise<JobRecord | null> {
    assertId(id);
    const { rows } = await pool.query(getJobSql(t), [id]);
    const r = rows[0];
    if (!r) return null;
    return {
      id: r.id,
      name: r.name,
      data: r.data,
      state: r.state,
      priority: r.priority,
      attempt: r.attempt,
      retryLimit: r.retry_limit,
      singletonKey: r.singleton_key,
      deadLetter: r.dead_letter,
      origin: r.origin,
      createdAt: r.created_at,
      startedAt: r.started_at,
      runAt: r.run_at,
      finishedAt: r.finished_at,
      progress: r.progress,
      lastError: r.last_error,
      output: r.output,
      traceparent: r.traceparent,
    };
  }

  async function listJobs(name: string, options: ListJobsOptions = {}) {
    const limit = options.limit ?? 50;
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) {
      throw queueErrors.create(
        'BOSUN_QUEUE_OPTIONS_INVALID',
        `listJobs: limit must be an integer from 1 to 500; got ${String(options.limit)}.`,
      );
    }
    if (options.state !== undefined && !STATES.has(options.state)) {
      throw queueErrors.create(
        'BOSUN_QUEUE_OPTIONS_INVALID',
        `listJobs: state must be one of ${[...STATES].join(', ')}.`,
      );
    }
    if (options.before !== undefined) assertId(options.before);
    const createdAfter = timeOption('createdAfter', options.createdAfter);
    const createdBefore = timeOption('createdBefore', options.createdBefore);
    const { rows } = await pool.query(listJobsSql(t), [
      name,
      options.state ?? null,
      options.before ?? null,
      limit,
      createdAfter,
      createdBefore,
    ]);
    const jobs: JobSummary[] = rows.map((r) => ({
      id: String(r.id),
      name: r.name,
      state: r.state,
      priority: r.priority,
      attempt: r.attempt,
      retryLimit: r.retry_limit,
      singletonKey: r.singleton_key,
      deadLetter: r.dead_letter,
      origin: r.origin,
      createdAt: r.created_at,
      startedAt: r.started_at,
      runAt: r.run_at,
      finishedAt: r.finished_at,
      progress: r.progress,
      lastError: r.last_error,
      traceparent: r.traceparent,
    }));
    return { jobs, next: jobs.length === limit ? jobs[jobs.length - 1]!.id : null };
  }

  return {
    getJob,
    listJobs,
    async queueNames() {
      const { rows } = await pool.query<{ name: string }>(queueNamesSql(t));
      return rows.map((r) => r.name);
    },
    async deadLetterQueues() {
      const { rows } = await pool.query<{ name: string; origin: string; waiting: number }>(
        deadLetterQueuesSql(t),
      );
      return rows.map((r) => ({ name: r.name, origin: r.origin, waiting: r.waiting }));
    },
    async cancel(id) {
      assertId(id);
      const { rowCount } = await pool.query(cancelJobSql(t), [id]);
      if (rowCount) return true;
      if (!(await getJob(id))) throw notFound(id);
      return false;
    },
    async retry(id) {
      assertId(id);
      const { rowCount } = await pool.query(retryJobSql(t), [id]);
      if (rowCount) return true;
      if (!(await getJob(id))) throw notFound(id);
      return false;
    },
    async deleteJob(id) {
      assertId(id);
      const { rows } = await pool.query(deleteJobSql(t), [id]);
      if (Number(rows[0]?.deleted ?? 0) === 0) throw notFound(id);
      return true;
    },
    async redrive(deadLetterName) {
      const { rows } = await pool.query<{ id: string; name: string }>(redriveSql(t), [deadLetterName]);
      return { count: rows.length, names: new Set(rows.map((r) => r.name)) };
    },
    async stats(name) {
      const { rows } = await pool.query<{ state: string; count: number; oldest: number | null }>(
        statsSql(t),
        [name],
      );
      const counts: QueueStats['counts'] = {
        created: 0,
        retry: 0,
        scheduled: 0,
        active: 0,
        completed: 0,
        failed: 0,
        cancelled: 0,
      };
      let oldest = 0;
      for (const row of rows) {
        counts[row.state as keyof QueueStats['counts']] += row.count;
        if (row.oldest !== null) oldest = Math.max(oldest, row.oldest);
      }
      return { name, counts, oldestQueuedSeconds: oldest };
    },
  };
}
