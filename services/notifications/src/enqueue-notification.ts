/**
 * Creates a notification and its delivery job, for every path that makes one: the
 * sendNotification operation, the welcome on `user.created`, and the daily digest.
 *
 * Invariants:
 * - NOTIFICATION_AND_JOB_COMMIT_TOGETHER (notifications-context.ts): one transaction.
 * - ONE_NOTIFICATION_PER_KEY (migrations.ts): with an idempotency key already used, nothing
 *   is written and the existing notification is returned, so a redelivered event or a
 *   retried request never sends twice.
 * The target must already be validated (targets.ts); this file trusts its input.
 */
import { uuidv7 } from '@bosun/core';
import {
  DELIVER_JOB,
  deliveryJobOptions,
  type NotificationsContext,
  withTransaction,
} from './notifications-context.js';
import {
  type Channel,
  NOTIFICATION_COLUMNS,
  type Notification,
  type NotificationRow,
  toNotification,
} from './schemas.js';

export interface NewNotification {
  kind: Notification['kind'];
  channel: Channel;
  target: string;
  subject: string;
  message: string;
  data?: Record<string, unknown>;
  idempotencyKey?: string;
}

export interface Enqueued {
  notification: Notification;
  /** False when the idempotency key was already used: nothing new was written. */
  created: boolean;
}

export function enqueueNotification(
  ctx: Pick<NotificationsContext, 'db' | 'jobs' | 'config'>,
  spec: NewNotification,
): Promise<Enqueued> {
  return withTransaction(ctx, async (client) => {
    const { rows } = await client.query<NotificationRow>(
      `INSERT INTO notifications (id, kind, channel, target, subject, message, data, idempotency_key)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (idempotency_key) DO NOTHING
       RETURNING ${NOTIFICATION_COLUMNS}`,
      [
        uuidv7(),
        spec.kind,
        spec.channel,
        spec.target,
        spec.subject,
        spec.message,
        JSON.stringify(spec.data ?? {}),
        spec.idempotencyKey ?? null,
      ],
    );
    if (rows[0]) {
      await ctx.jobs.send(
        DELIVER_JOB,
        { notificationId: rows[0].id },
        { ...deliveryJobOptions(ctx.config), db: client },
      );
      return { notification: toNotification(rows[0]), created: true };
    }
    const existing = await client.query<NotificationRow>(
      `SELECT ${NOTIFICATION_COLUMNS} FROM notifications WHERE idempotency_key = $1`,
      [spec.idempotencyKey],
    );
    return { notification: toNotification(existing.rows[0]!), created: false };
  });
}
