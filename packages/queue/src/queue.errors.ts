/**
 * @bosun/queue's error codes: one registry, stable codes (CODES_ARE_NEVER_REUSED).
 * Each detail message says what to change. Bad input is rejected before anything is
 * written (BAD_INPUT_WRITES_NOTHING).
 */
import { defineErrors } from '@bosun/core';

export const queueErrors = defineErrors('@bosun/queue', {
  BOSUN_QUEUE_NAME_INVALID: {
    status: 400,
    retryable: false,
    title: 'The queue name is invalid',
  },
  BOSUN_QUEUE_OPTIONS_INVALID: {
    status: 400,
    retryable: false,
    title: 'The queue or job options are invalid',
  },
  BOSUN_QUEUE_DATA_NOT_SERIALIZABLE: {
    status: 400,
    retryable: false,
    title: 'The job data cannot be stored as JSON',
  },
  BOSUN_QUEUE_DATA_INVALID: {
    status: 400,
    retryable: false,
    title: "The job data does not match the queue's schema",
  },
  BOSUN_QUEUE_JOB_NOT_FOUND: { status: 404, retryable: false, title: 'No such job' },
  BOSUN_QUEUE_STOPPED: {
    status: 503,
    retryable: true,
    title: 'The queue is stopped or stopping; start it, or send through another instance',
  },
  BOSUN_QUEUE_NOT_STARTED: {
    status: 503,
    retryable: true,
    title: 'The queue has not been started; call queue.start() first',
  },
  BOSUN_QUEUE_JOB_EXPIRED: {
    status: 504,
    retryable: true,
    title: 'The job ran longer than its expireInSeconds and was failed',
  },
  BOSUN_QUEUE_SCHEDULE_INVALID: { status: 400, retryable: false, title: 'The schedule is invalid' },
  BOSUN_QUEUE_HANDLER_FAILED: { status: 500, retryable: true, title: 'The job handler failed' },
  BOSUN_QUEUE_WORKER_EXISTS: {
    status: 409,
    retryable: false,
    title: 'A worker for this queue is already registered on this queue instance',
  },
});

export type QueueErrorCode = keyof typeof queueErrors.specs;
