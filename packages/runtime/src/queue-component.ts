/**
 * The job queue as a lifecycle component: one queue per process (every service in it
 * shares the PostgreSQL queue tables), each service's `jobs` defined with their Zod data
 * schema and options and worked with their handler, each `schedules` entry registered.
 *
 * Invariants:
 * - READY_GATES_INTAKE: drain() stops claiming at once, lets running handlers finish until
 *   the drain deadline, then releases the rest back to the queue with the attempt not
 *   counted (the queue's RELEASE_UNCOUNTED); released jobs are reported as abandoned work.
 * - JOB_DATA_IS_VALIDATED: a job's data is checked against its schema on send and on claim.
 * - TRACE_RIDES_THE_JOB: a handler's ctx.traceparent is a child of the traceparent the job
 *   was sent with (a new trace when it had none), so its logs, calls and jobs join the trace.
 *   With a tracer, each run is a consumer span `job <name>` (child of the stored traceparent,
 *   its failure's code in `bosun.error.code`) and ctx.traceparent is that span's (SPAN_PER_JOB_RUN).
 */
import {
  type AnyService,
  type Component,
  childContext,
  formatTraceparent,
  type JobContext,
  type JobSender,
  parseTraceparent,
  type SpanTracer,
} from '@bosun/core';
import { createJobSender, createQueue, type Queue, type QueueJob } from '@bosun/queue';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { ContextFactory } from './service-context.js';

export interface QueueComponent extends Component {
  /** The queue; throws before start(). */
  readonly queue: Queue;
  /** `ctx.jobs` for every service in the process; usable after start(). */
  readonly jobs: JobSender;
}

export interface QueueComponentOptions {
  services: ReadonlyArray<AnyService>;
  pool: () => pg.Pool;
  log: Logger;
  registry?: Registry;
  contexts: ReadonlyMap<string, ContextFactory>;
  drainTimeoutMs: number;
  /** One span per job run (SPAN_PER_JOB_RUN); undefined: none. */
  tracer?: SpanTracer;
}

export function queueComponent(options: QueueComponentOptions): QueueComponent {
  const log = options.log.child({ component: 'queue' });
  const tracer = options.tracer;
  let queue: Queue | undefined;
  let sender: JobSender | undefined;
  const get = () => {
    if (!queue)
      throw new Error('The job queue is used before start(); send jobs from handlers, not at import time.');
    return queue;
  };
  const jobs: JobSender = {
    send: (name, data, sendOptions) => (sender ?? createJobSender(get())).send(name, data, sendOptions),
  };

  return {
    name: 'queue',
    get queue() {
      return get();
    },
    jobs,
    async start() {
      const q = createQueue({ db: options.pool(), log, registry: options.registry });
      queue = q;
      sender = createJobSender(q);
      q.on('worker:error', ({ name, error }) => log.error({ err: error, queue: name }, 'worker error'));
      for (const service of options.services) {
        for (const [name, job] of Object.entries(service.jobs)) {
          q.define(name, {
            schema: job.data,
            retryLimit: job.retryLimit,
            retryDelay: job.retryDelay,
            retryBackoff: job.retryBackoff,
            expireInSeconds: job.expireInSeconds,
            retentionSeconds: job.retentionSeconds,
            priority: job.priority,
            deadLetter: job.deadLetter,
          });
        }
      }
      await q.start();
      for (const service of options.services) {
        const context = options.contexts.get(service.name)!;
        for (const [name, job] of Object.entries(service.jobs)) {
          const spanName = `job ${name}`;
          await q.work(name, { concurrency: job.concurrency }, async (claimed: QueueJob) => {
            const span = tracer?.start(spanName, 'consumer', claimed.traceparent, {
              'bosun.job.id': claimed.id,
              'bosun.job.name': name,
              'bosun.job.attempt': claimed.attempt,
            });
            const ctx: JobContext = {
              ...context({
                transport: 'job',
                requestId: `job-${claimed.id}`,
                signal: claimed.signal,
                progress: (value, message) => claimed.progress(value, message),
                traceparent: span
                  ? span.traceparent
                  : formatTraceparent(childContext(parseTraceparent(claimed.traceparent))),
              }),
              job: { id: claimed.id, name, attempt: claimed.attempt, retryLimit: claimed.retryLimit },
            };
            if (span === undefined) return job.handler(claimed.data, ctx);
            try {
              return await job.handler(claimed.data, ctx);
            } catch (error) {
              span.fail(error);
              throw error;
            } finally {
              span.end();
            }
          });
        }
        for (const [scheduleName, schedule] of Object.entries(service.schedules)) {
          await q.schedule(schedule.job, schedule.cron, schedule.data, {
            tz: schedule.tz,
            key: scheduleName,
          });
        }
      }
    },
    async drain(signal) {
      if (!queue) return;
      const released: string[] = [];
      const off = queue.on('job:released', ({ name, count }) =>
        released.push(`job:${name} x${count} (released to the queue)`),
      );
      const remaining = signal.aborted ? 0 : options.drainTimeoutMs;
      await queue.stop({ graceful: true, timeoutMs: remaining });
      off();
      return { abandoned: released };
    },
    async stop() {
      await queue?.stop({ graceful: false, timeoutMs: 0 });
    },
    health() {
      if (!queue) throw new Error('queue not started');
      const h = queue.health();
      if (!h.ready) throw new Error(h.reason ?? 'queue not ready');
    },
  };
}
