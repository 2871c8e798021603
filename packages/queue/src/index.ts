/**
 * @bosun/queue — a PostgreSQL job queue: batched sends, claims and completions, SKIP
 * LOCKED, LISTEN/NOTIFY wake-ups with polling fallback, retries with backoff, expiry,
 * dead letters, cron schedules that tick once across replicas, typed events, metrics.
 */

export type { CreateQueueOptions, Queue, StopOptions } from './create-queue.js';
export { createQueue } from './create-queue.js';
export type { QueueEmitter, QueueEventName, QueueEvents, QueueListener } from './events.js';
export { createJobSender } from './job-sender.js';
export { queueMigrations } from './migrations/index.js';
export type { QueueErrorCode } from './queue.errors.js';
export { queueErrors } from './queue.errors.js';
export type { ScheduleOptions, ScheduleRecord } from './scheduler.js';
export type {
  BatchHandler,
  DeadLetterQueue,
  JobHandler,
  JobRecord,
  JobState,
  JobSummary,
  ListJobsOptions,
  QueueDefinition,
  QueueJob,
  QueueLogger,
  QueueStats,
  SendOptions,
  StoredError,
  WorkOptions,
} from './types.js';
