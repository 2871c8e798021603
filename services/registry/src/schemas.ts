/**
 * The shapes the registry's operations answer with, one Zod schema each, shared by REST,
 * MCP and RPC (OUTPUT_IS_VALIDATED). Times are ISO 8601 strings.
 */
import { z } from 'zod';

export const InstanceHealth = z
  .enum(['ok', 'draining', 'unhealthy', 'stale', 'unknown'])
  .describe(
    'stale: missed heartbeats; unhealthy: /readyz failed; draining: the instance said so; unknown: not polled yet.',
  );

export const Instance = z.object({
  instance: z.string(),
  version: z.string(),
  host: z.string(),
  ports: z.record(z.string(), z.number()),
  health: InstanceHealth,
  /** What the heartbeat itself said (ok, draining, ...). */
  reported: z.string(),
  readiness: z
    .object({ ok: z.boolean(), status: z.number(), checkedAt: z.string(), detail: z.string().optional() })
    .nullable(),
  stale: z.boolean(),
  lastSeen: z.string(),
  startedAt: z.string(),
});

export const OperationSummary = z.object({ name: z.string(), idempotent: z.boolean().optional() });

export const ServiceSummary = z.object({
  name: z.string(),
  versions: z.array(z.string()),
  live: z.number().int().describe('Instances that are not stale.'),
  healthy: z.number().int().describe('Instances whose health is ok.'),
  operations: z.array(OperationSummary),
  instances: z.array(Instance),
});

export const ServiceDetail = ServiceSummary.extend({
  operations: z.array(OperationSummary.extend({ inputSchema: z.unknown(), outputSchema: z.unknown() })),
});

export const JobState = z.enum(['created', 'retry', 'active', 'completed', 'failed', 'cancelled']);

const Counts = z.object({
  created: z.number().int(),
  retry: z.number().int(),
  scheduled: z.number().int(),
  active: z.number().int(),
  completed: z.number().int(),
  failed: z.number().int(),
  cancelled: z.number().int(),
});

export const QueueInfo = z.object({
  name: z.string(),
  counts: Counts,
  oldestQueuedSeconds: z.number(),
  throughputPerMinute: z.number().nullable().describe('Jobs finished per minute; null until sampled twice.'),
  deadLetterFor: z.array(z.string()).describe('Queues whose failed jobs wait here for a redrive.'),
});

export const DeadLetterInfo = z.object({ name: z.string(), origin: z.string(), waiting: z.number().int() });

export const ScheduleInfo = z.object({
  job: z.string().describe('The queue each tick enqueues on.'),
  key: z.string(),
  cron: z.string(),
  tz: z.string(),
  lastTick: z.string().nullable(),
  nextRun: z.string().nullable(),
});

const Progress = z.object({ value: z.number(), message: z.string().optional() }).passthrough().nullable();
const StoredError = z
  .object({ message: z.string(), code: z.string().optional(), stack: z.string().optional() })
  .passthrough()
  .nullable();

export const JobSummary = z.object({
  id: z.string(),
  name: z.string(),
  state: JobState,
  priority: z.number().int(),
  attempt: z.number().int(),
  retryLimit: z.number().int(),
  singletonKey: z.string().nullable(),
  deadLetter: z.string().nullable(),
  origin: z.string().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  runAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  progress: Progress,
  lastError: StoredError,
});

export const JobDetail = JobSummary.extend({ data: z.unknown(), output: z.unknown() });

export const JobId = z
  .string()
  .regex(/^[1-9][0-9]{0,18}$/, 'a job id is a decimal string')
  .describe('A job id (decimal string).');

export const QueueName = z.string().min(1).max(128).describe('A queue (job) name.');

export type ServiceSummary = z.infer<typeof ServiceSummary>;
export type ServiceDetail = z.infer<typeof ServiceDetail>;
export type Instance = z.infer<typeof Instance>;
export type QueueInfo = z.infer<typeof QueueInfo>;
export type JobSummary = z.infer<typeof JobSummary>;
export type JobDetail = z.infer<typeof JobDetail>;
export type ScheduleInfo = z.infer<typeof ScheduleInfo>;
