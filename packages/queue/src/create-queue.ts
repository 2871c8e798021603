/**
 * createQueue(): the composition root of @bosun/queue. Wires the pool, migrations,
 * sender, notifier, workers, outcomes, maintenance and scheduler into one plain object.
 *
 * Invariants:
 * - START_STOP_SINGLE_FLIGHT: start() and stop() are idempotent; concurrent calls share one run.
 * - MIGRATIONS_SERIALISED: start() migrates under an advisory lock (runMigrations).
 * - READY_GATES_INTAKE: stop() halts claiming first, drains in-flight jobs until
 *   `timeoutMs`, releases the rest uncounted (RELEASE_UNCOUNTED), then closes.
 * - IN_PROCESS_WAKE: a send wakes this process's idle workers directly, without SQL;
 *   other processes hear one NOTIFY per batch (NOTIFY_PER_BATCH).
 */
import { type DbPort, runMigrations } from '@bosun/core';
import pg from 'pg';
import type client from 'prom-client';
import { type Admin, createAdmin } from './admin.js';
import { createEmitter, type QueueEventName, type QueueListener } from './events.js';
import { createOutcomes } from './job-outcomes.js';
import { assertDefinition, assertQueueName, prepareRow } from './job-row.js';
import { type Maintenance, startMaintenance } from './maintenance.js';
import { createMetrics } from './metrics.js';
import { queueMigrations } from './migrations/index.js';
import { createNotifier } from './notifier.js';
import { queueErrors } from './queue.errors.js';
import { type ScheduleOptions, type ScheduleRecord, type Scheduler, startScheduler } from './scheduler.js';
import { createSendBuffer, type InsertedRow } from './send-buffer.js';
import { getSingletonSql } from './sql/get-job.sql.js';
import { depthSql } from './sql/stats.sql.js';
import { tablesFor } from './sql/tables.js';
import type {
  BatchHandler,
  DeadLetterQueue,
  JobHandler,
  JobRecord,
  JobSummary,
  ListJobsOptions,
  QueueDefinition,
  QueueLogger,
  QueueStats,
  SendOptions,
  WorkOptions,
} from './types.js';
import { createWorker, type Worker, type WorkerConfig } from './worker.js';

export interface CreateQueueOptions {
  /** A pg.Pool (not closed by stop()) or a connection string (the queue owns its pool). */
  db: pg.Pool | string;
  /** PostgreSQL schema for the queue's tables. Default 'bosun_queue'. */
  schema?: string;
  log?: QueueLogger;
  /** Time source for cron ticks. Default `() => new Date()`. */
  clock?: () => Date;
  /** prom-client registry; metrics are registered only when given. */
  registry?: client.Registry;
  /** Idle workers poll this often in case a wake-up was lost. Default 1000. */
  pollIntervalMs?: number;
  /** Expiry sweep interval. Default 1000. */
  maintenanceIntervalMs?: number;
  /** Cron check interval. Default 1000. */
  schedulePollMs?: number;
  /** Pool size when `db` is a connection string. Default 10. */
  poolSize?: number;
}

/** `work()`: a single-job handler by default, an array handler when batchSize is given. */
export interface WorkFunction {
  <D = unknown>(
    name: string,
    options: WorkOptions & { batchSize?: 1 },
    handler: JobHandler<D>,
  ): Promise<void>;
  <D = unknown>(
    name: string,
    options: WorkOptions & { batchSize: number },
    handler: BatchHandler<D>,
  ): Promise<void>;
}

export interface StopOptions {
  /** Wait for in-flight handlers (until timeoutMs). Default true. */
  graceful?: boolean;
  /** Drain deadline. Default 30000. */
  timeoutMs?: number;
}

const silent: QueueLogger = { debug() {}, info() {}, warn() {}, error() {} };

function positiveInt(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw queueErrors.create(
      'BOSUN_QUEUE_OPTIONS_INVALID',
      `Option ${name} must be a positive integer; got ${String(value)}.`,
    );
  }
  return value;
}

/**
 * Creates a queue. Call `start()` before sending or working.
 * @example
 * const queue = createQueue({ db: process.env.DATABASE_URL });
 * await queue.start();
 * await queue.work('email', { concurrency: 4 }, async (job) => sendEmail(job.data));
 * await queue.send('email', { to: 'a@b.c' }, { retryLimit: 3, retryBackoff: true });
 */
export function createQueue(options: CreateQueueOptions) {
  if (!options || (typeof options.db !== 'string' && !(options.db instanceof pg.Pool))) {
    throw queueErrors.create(
      'BOSUN_QUEUE_OPTIONS_INVALID',
      'createQueue() needs `db`: a pg.Pool or a PostgreSQL connection string.',
    );
  }
  const schema = options.schema ?? 'bosun_queue';
  if (!/^[a-z_][a-z0-9_]{0,40}$/.test(schema)) {
    throw queueErrors.create(
      'BOSUN_QUEUE_OPTIONS_INVALID',
      `Option schema "${schema}" must be a lower-case identifier (a-z, 0-9, _), at most 41 characters.`,
    );
  }
  const pollIntervalMs = positiveInt('pollIntervalMs', options.pollIntervalMs, 1000);
  const maintenanceIntervalMs = positiveInt('maintenanceIntervalMs', options.maintenanceIntervalMs, 1000);
  const schedulePollMs = positiveInt('schedulePollMs', options.schedulePollMs, 1000);
  const ownsPool = typeof options.db === 'string';
  const pool =
    typeof options.db === 'string'
      ? new pg.Pool({ connectionString: options.db, max: positiveInt('poolSize', options.poolSize, 10) })
      : options.db;
  const tables = tablesFor(schema);
  const log = options.log ?? silent;
  const clock = options.clock ?? (() => new Date());
  const emitter = createEmitter(log);
  const metrics = createMetrics(options.registry, async () => (await pool.query(depthSql(tables))).rows);
  const admin: Admin = createAdmin(pool, tables);
  const definitions = new Map<string, QueueDefinition>();
  const workers = new Map<string, Worker>();
  const pendingWorkers: Array<[WorkerConfig]> = [];
  let state: 'new' | 'starting' | 'started' | 'stopping' | 'stopped' = 'new';
  let startPromise: Promise<void> | undefined;
  let stopPromise: Promise<void> | undefined;
  let lastDbError: unknown;
  let maintenance: Maintenance | undefined;
  let scheduler: Scheduler | undefined;

  const onPoolError = (error: Error) => onError('pool', error);
  pool.on('error', onPoolError);
  if (ownsPool) {
    // pool.end() resolves before its sockets close; a connection killed in that window (server
    // restart, DROP DATABASE ... FORCE) would otherwise be an unhandled 'error' on the client.
    pool.on('connect', (client) =>
      client.on('error', (error) => log.debug({ err: error }, 'queue: pool client error')),
    );
  }

  function onError(during: string, error: unknown): void {
    lastDbError = error;
    log.warn({ err: error, during }, 'queue: database operation failed; retrying');
    emitter.emit('queue:error', { during, error });
  }

  function wakeLocal(name: string): void {
    workers.get(name)?.wake();
  }

  const notifier = createNotifier({
    pool,
    connection: (pool as unknown as { options: pg.ClientConfig }).options,
    tables,
    log,
    onWake: wakeLocal,
    onError,
  });

  function onReady(names: Set<string>, tx?: DbPort): Promise<void> | undefined {
    if (tx) {
      // Delivered at the caller's COMMIT (and never on ROLLBACK); no instance id, so this process hears it too.
      return tx
        .query('SELECT pg_notify($1, $2)', [tables.channel, `|${[...names].join('\n')}`])
        .then(() => {});
    }
    for (const name of names) wakeLocal(name);
    notifier.notify(names);
    return undefined;
  }

  const sender = createSendBuffer(pool, tables, onReady, {
    reserve(name) {
      const worker = workers.get(name);
      return worker?.reserve() ? worker.id : undefined;
    },
    deliver(claimed, unused) {
      const byName = new Map<string, InsertedRow[]>();
      for (const row of claimed) byName.set(row.name, [...(byName.get(row.name) ?? []), row]);
      for (const name of new Set([...byName.keys(), ...unused.keys()])) {
        const worker = workers.get(name);
        const rows = byName.get(name) ?? [];
        if (worker) worker.adopt(rows, Math.max(0, unused.get(name) ?? 0));
        else if (rows.length > 0)
          void outcomes.release(
            name,
            rows.map((r) => ({ id: String(r.id), attempt: r.attempt })),
          );
      }
    },
  });
  const outcomes = createOutcomes({
    pool,
    tables,
    emitter,
    metrics,
    onError,
    onReady: (n) => void onReady(n),
  });

  function assertRunning(): void {
    if (state === 'new' || state === 'starting') {
      throw queueErrors.create(
        'BOSUN_QUEUE_NOT_STARTED',
        'Call and await queue.start() before sending or working.',
      );
    }
    if (state === 'stopped')
      throw queueErrors.create('BOSUN_QUEUE_STOPPED', 'The queue was stopped; create and start a new one.');
  }

  function launch(config: WorkerConfig): void {
    const worker = createWorker(config, {
      pool,
      tables,
      workerId: `${notifier.instanceId}:${config.name}`,
      outcomes,
      emitter,
      metrics,
      onError: (error) => onError('claim', error),
      onHealthy: () => {
        lastDbError = undefined;
      },
    });
    workers.set(config.name, worker);
    worker.wake();
  }

  async function doStart(): Promise<void> {
    state = 'starting';
    await runMigrations(pool, { schema, migrations: queueMigrations });
    await notifier.start();
    maintenance = startMaintenance({
      pool,
      tables,
      emitter,
      metrics,
      intervalMs: maintenanceIntervalMs,
      onReady: (n) => void onReady(n),
      onError,
    });
    scheduler = startScheduler({
      pool,
      tables,
      clock,
      pollMs: schedulePollMs,
      emitter,
      onReady: (n) => void onReady(n),
      onError,
    });
    state = 'started';
    for (const [config] of pendingWorkers.splice(0)) launch(config);
  }

  async function doStop(stopOptions: StopOptions): Promise<void> {
    const graceful = stopOptions.graceful ?? true;
    const timeoutMs = stopOptions.timeoutMs ?? 30_000;
    if (startPromise) await startPromise.catch(() => {});
    state = 'stopping';
    try {
      await Promise.all([...workers.values()].map((w) => w.stop(timeoutMs, graceful)));
      await sender.drain();
      await Promise.all([maintenance?.stop(), scheduler?.stop()]);
      await outcomes.flush();
    } finally {
      await notifier.stop();
      state = 'stopped';
      // An owned pool keeps its error listener: a connection dropped while ending must not crash the process.
      if (ownsPool) await pool.end();
      else pool.off('error', onPoolError);
    }
  }

  async function work(
    name: string,
    workOptions: WorkOptions,
    handler: (arg: never) => unknown,
  ): Promise<void> {
    assertQueueName(name);
    if (typeof handler !== 'function') {
      throw queueErrors.create(
        'BOSUN_QUEUE_OPTIONS_INVALID',
        `work("${name}"): the handler must be a function.`,
      );
    }
    if (state === 'stopping' || state === 'stopped')
      throw queueErrors.create('BOSUN_QUEUE_STOPPED', 'The queue is stopping; no new workers.');
    if (workers.has(name) || pendingWorkers.some(([c]) => c.name === name)) {
      throw queueErrors.create(
        'BOSUN_QUEUE_WORKER_EXISTS',
        `A worker for "${name}" is already registered; raise its concurrency instead.`,
      );
    }
    const o = workOptions ?? {};
    const config: WorkerConfig = {
      name,
      concurrency: positiveInt('concurrency', o.concurrency, 8),
      batchSize: positiveInt('batchSize', o.batchSize, 1),
      prefetch: o.prefetch === 0 ? 0 : positiveInt('prefetch', o.prefetch, 400),
      pollIntervalMs,
      schema: o.schema ?? definitions.get(name)?.schema,
      handler: handler as (arg: never) => unknown,
    };
    if (state === 'started') launch(config);
    else pendingWorkers.push([config]);
  }

  const queue = {
    schema,
    /** Runs migrations and starts listening, maintenance and the scheduler. Idempotent. */
    start(): Promise<void> {
      if (state === 'stopped' || state === 'stopping') {
        return Promise.reject(
          queueErrors.create('BOSUN_QUEUE_STOPPED', 'A stopped queue cannot restart; create a new one.'),
        );
      }
      startPromise ??= doStart();
      return startPromise;
    },
    /** Stops claiming at once, drains in-flight jobs until timeoutMs, releases the rest, closes. Idempotent. */
    stop(stopOptions: StopOptions = {}): Promise<void> {
      stopPromise ??= doStop(stopOptions);
      return stopPromise;
    },
    /** Declares per-queue defaults and a Zod data schema (checked on send and on claim). */
    define(name: string, definition: QueueDefinition): void {
      assertDefinition(name, definition);
      definitions.set(name, definition);
    },
    /**
     * Enqueues one job. Resolves to its id, or `null` when `singletonKey` already has a
     * queued or active job (nothing is inserted). With `options.db` the insert runs on
     * that client, inside the caller's transaction.
     */
    async send(name: string, data?: unknown, sendOptions?: SendOptions): Promise<string | null> {
      assertRunning();
      const row = prepareRow(name, data, sendOptions, definitions.get(name));
      if (sendOptions?.db) return (await sender.insert([row], sendOptions.db))[0] ?? null;
      return sender.add(row);
    },
    /** Enqueues many jobs (chunks of 1000 rows per statement); ids in input order, null for skipped singletons. */
    async sendBatch(
      name: string,
      items: ReadonlyArray<{ data?: unknown; options?: SendOptions }>,
      batchOptions: { db?: DbPort } = {},
    ): Promise<(string | null)[]> {
      assertRunning();
      if (!Array.isArray(items)) {
        throw queueErrors.create(
          'BOSUN_QUEUE_OPTIONS_INVALID',
          'sendBatch(name, items): items must be an array of { data, options }.',
        );
      }
      const definition = definitions.get(name);
      const rows = items.map((item) => prepareRow(name, item?.data, item?.options, definition));
      return sender.insert(rows, batchOptions.db);
    },
    /**
     * Registers the handler for a queue in this process (one worker per queue name). The
     * handler gets one job, or an array when `batchSize` is above 1. Its return value is
     * stored as the job's output (single jobs only); a throw fails the attempt.
     */
    work: work as WorkFunction,
    /** Creates or replaces a cron schedule; each tick enqueues one job across all replicas. */
    async schedule(
      name: string,
      cron: string,
      data?: unknown,
      scheduleOptions: ScheduleOptions = {},
    ): Promise<void> {
      assertRunning();
      assertQueueName(name);
      const { tz: _tz, key, ...jobOptions } = scheduleOptions;
      prepareRow(name, data, jobOptions, definitions.get(name));
      if (key !== undefined && typeof key !== 'string') {
        throw queueErrors.create('BOSUN_QUEUE_SCHEDULE_INVALID', 'Schedule option key must be a string.');
      }
      await scheduler!.upsert(name, cron, data, scheduleOptions);
    },
    async unschedule(name: string, key = ''): Promise<void> {
      assertRunning();
      await scheduler!.remove(name, key);
    },
    async getSchedules(): Promise<ScheduleRecord[]> {
      assertRunning();
      return scheduler!.list();
    },
    getJob: (id: string): Promise<JobRecord | null> => admin.getJob(id),
    cancel: (id: string): Promise<boolean> => admin.cancel(id),
    async retry(id: string): Promise<boolean> {
      const ok = await admin.retry(id);
      const job = ok ? await admin.getJob(id) : null;
      if (job) void onReady(new Set([job.name]));
      return ok;
    },
    deleteJob: (id: string): Promise<boolean> => admin.deleteJob(id),
    /** A page of a queue's jobs, newest first (live and finished); `next` is the cursor for the following page. */
    listJobs(name: string, options?: ListJobsOptions): Promise<{ jobs: JobSummary[]; next: string | null }> {
      assertQueueName(name);
      return admin.listJobs(name, options);
    },
    /** Moves every queued job of a dead-letter queue back to its original queue; returns how many. */
    async redrive(deadLetterName: string): Promise<number> {
      assertQueueName(deadLetterName);
      const { count, names } = await admin.redrive(deadLetterName);
      if (names.size > 0) void onReady(names);
      return count;
    },
    stats(name: string): Promise<QueueStats> {
      assertQueueName(name);
      return admin.stats(name);
    },
    /** Every queue name with live jobs, retained finished jobs or a schedule, sorted. */
    queueNames: (): Promise<string[]> => admin.queueNames(),
    /** Dead-letter queues with queued jobs, per origin queue (what redrive() would move). */
    deadLetterQueues: (): Promise<DeadLetterQueue[]> => admin.deadLetterQueues(),
    /** The live job id holding a singleton key, or null. */
    async findSingleton(name: string, singletonKey: string): Promise<string | null> {
      const { rows } = await pool.query<{ id: string }>(getSingletonSql(tables), [name, singletonKey]);
      return rows[0]?.id ?? null;
    },
    /** Ready for /readyz: started, not stopping, and the last database operation succeeded. */
    health(): { ready: boolean; reason?: string } {
      if (state !== 'started') return { ready: false, reason: `queue is ${state}` };
      if (lastDbError)
        return { ready: false, reason: `database: ${(lastDbError as Error).message ?? String(lastDbError)}` };
      if (!notifier.connected) return { ready: false, reason: 'LISTEN connection is down; reconnecting' };
      return { ready: true };
    },
    /** Subscribes to a typed event; returns the unsubscribe function. Listener errors never reach the engine. */
    on<E extends QueueEventName>(event: E, listener: QueueListener<E>): () => void {
      return emitter.on(event, listener);
    },
    /** Runs one expiry sweep now (also runs every maintenanceIntervalMs); returns how many jobs expired. */
    sweepExpired(): Promise<number> {
      assertRunning();
      return maintenance!.sweep();
    },
  };
  return queue;
}

export type Queue = ReturnType<typeof createQueue>;
