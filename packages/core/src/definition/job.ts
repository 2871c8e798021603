/**
 * job(): a durable background job type. Its data is validated against the Zod schema
 * when sent and again when claimed; invalid data fails the job without retry.
 * Option names follow pg-boss so teams can move over easily.
 */
import type { z } from 'zod';
import type { OperationContext } from './context.js';

export interface JobOptions {
  /** Attempts after the first. Default 2. */
  retryLimit?: number;
  /** Seconds before a retry. Default 0 (with backoff: 1). */
  retryDelay?: number;
  /** Exponential backoff with jitter between attempts. */
  retryBackoff?: boolean;
  /** An active job running longer than this is failed and retried. Default 900. */
  expireInSeconds?: number;
  /** How long a finished job is kept. Default 7 days. */
  retentionSeconds?: number;
  priority?: number;
  /** Queue that receives a job after its last failed attempt. */
  deadLetter?: string;
  /** Handlers running at once in this process. Default 8. */
  concurrency?: number;
}

export interface JobContext<C = Readonly<Record<string, unknown>>> extends OperationContext<C> {
  job: { id: string; name: string; attempt: number; retryLimit: number };
}

export interface JobSpec<D extends z.ZodType, R = unknown, C = Readonly<Record<string, unknown>>>
  extends JobOptions {
  data: D;
  description?: string;
  handler(data: z.output<D>, ctx: JobContext<C>): Promise<R> | R;
}

export interface Job<D extends z.ZodType = z.ZodType, R = unknown, C = any> extends JobSpec<D, R, C> {
  readonly kind: 'job';
}

export type AnyJob = Job<z.ZodType, unknown, any>;

/**
 * Declares a job type.
 * @example
 * const sendEmail = job({ data: z.object({ to: z.email() }), retryLimit: 3, retryBackoff: true,
 *   handler: async ({ to }, ctx) => { ... } });
 */
export function job<D extends z.ZodType, R = unknown, C = Readonly<Record<string, unknown>>>(
  spec: JobSpec<D, R, C>,
): Job<D, R, C> {
  return { kind: 'job', ...spec };
}

export interface ScheduleSpec {
  /** Five- or six-field cron expression. */
  cron: string;
  /** IANA time zone; default UTC. */
  tz?: string;
  /** The job to enqueue on each tick; default: the job with the schedule's name. */
  job?: string;
  data?: unknown;
}
