/**
 * Small helpers every notifications handler shares: its typed context, its database, a
 * transaction, the scopes, and the queue options of a delivery job taken from config.
 *
 * Invariant NOTIFICATION_AND_JOB_COMMIT_TOGETHER: a notification row and its delivery job
 * are written in one transaction (`withTransaction` + `jobs.send(..., { db: client })`), so
 * there is never a notification nobody will deliver, nor a job for a row that rolled back.
 */
import type { DbPort, JobSendOptions, OperationContext } from '@bosun/core';
import type { NotificationsConfig } from './notifications-env.js';

export type NotificationsContext = OperationContext<NotificationsConfig>;

export const SCOPES = {
  read: 'notifications:read',
  write: 'notifications:write',
} as const;

export const DELIVER_JOB = 'deliver-notification';
export const DIGEST_JOB = 'daily-digest';
/** Where the queue puts a delivery after its last failed attempt; worked by jobs/dead-letter.job.ts. */
export const DEAD_LETTER_QUEUE = 'notification-dead-letters';

/** The service's pool (search_path = the `notifications` schema). The runtime always provides it: the service has migrations. */
export function db(ctx: Pick<NotificationsContext, 'db'>): DbPort {
  if (!ctx.db)
    throw new Error(
      'The notifications service runs without a database; it needs DATABASE_URL (or the embedded one).',
    );
  return ctx.db;
}

interface TransactionClient extends DbPort {
  release(error?: Error): void;
}

/** Runs `fn` in one transaction on a client of the service's pool (the runtime's pool is a pg.Pool). */
export async function withTransaction<T>(
  ctx: Pick<NotificationsContext, 'db'>,
  fn: (client: DbPort) => Promise<T>,
): Promise<T> {
  const pool = db(ctx) as DbPort & { connect?: () => Promise<TransactionClient> };
  if (typeof pool.connect !== 'function')
    throw new Error('The notifications database port has no connect(); hand it a pg.Pool.');
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    client.release();
    return result;
  } catch (error) {
    // A client whose ROLLBACK failed is broken: release(error) destroys it instead of pooling it.
    await client.query('ROLLBACK').then(
      () => client.release(),
      (rollbackError: Error) => client.release(rollbackError),
    );
    throw error;
  }
}

/**
 * Queue options of one delivery: retries with exponential backoff from config, expiry a
 * little past the outbound timeout (a killed worker's job is retried soon after), and the
 * dead-letter queue.
 */
export function deliveryJobOptions(config: NotificationsConfig): JobSendOptions {
  return {
    retryLimit: config.NOTIFICATIONS_RETRY_LIMIT,
    retryDelay: config.NOTIFICATIONS_RETRY_DELAY_SECONDS,
    retryBackoff: true,
    expireInSeconds: Math.ceil(config.NOTIFICATIONS_DELIVERY_TIMEOUT_MS / 1000) + 5,
    deadLetter: DEAD_LETTER_QUEUE,
  };
}
