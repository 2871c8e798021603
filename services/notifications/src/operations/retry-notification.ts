/**
 * retryNotification — POST /notifications/:id/retry (scope notifications:write): sends a
 * dead notification again, with a fresh set of attempts. Its delivery log keeps growing
 * (attempt numbers continue), so the history of the first round stays readable.
 *
 * Invariants: NOTIFICATION_AND_JOB_COMMIT_TOGETHER (status and job in one transaction);
 * ONLY_DEAD_IS_RETRIED — a notification still queued, retrying or delivered answers
 * NOTIFICATIONS_NOT_DEAD and nothing is sent, so a double click cannot send twice.
 */
import { operation } from '@bosun/core';
import { z } from 'zod';
import { notificationsErrors } from '../notifications.errors.js';
import {
  DELIVER_JOB,
  deliveryJobOptions,
  type NotificationsContext,
  SCOPES,
  withTransaction,
} from '../notifications-context.js';
import {
  NOTIFICATION_COLUMNS,
  Notification,
  NotificationId,
  type NotificationRow,
  toNotification,
} from '../schemas.js';

export const retryNotification = operation({
  title: 'Retry a dead notification',
  description:
    'Queues a notification whose every attempt failed for delivery again, with a fresh set of attempts.',
  input: z.object({ id: NotificationId }),
  output: Notification,
  http: 'POST /notifications/:id/retry',
  scope: SCOPES.write,
  handler: ({ id }, ctx: NotificationsContext) =>
    withTransaction(ctx, async (client) => {
      const { rows } = await client.query<NotificationRow>(
        `UPDATE notifications SET status = 'queued', updated_at = now()
          WHERE id = $1 AND status = 'dead' RETURNING ${NOTIFICATION_COLUMNS}`,
        [id],
      );
      if (!rows[0]) {
        const found = await client.query<{ status: string }>(
          'SELECT status FROM notifications WHERE id = $1',
          [id],
        );
        if (!found.rows[0])
          throw notificationsErrors.create('NOTIFICATIONS_NOT_FOUND', `No notification has id ${id}.`);
        throw notificationsErrors.create(
          'NOTIFICATIONS_NOT_DEAD',
          `Notification ${id} is ${found.rows[0].status}; only a dead notification can be retried.`,
        );
      }
      await ctx.jobs.send(
        DELIVER_JOB,
        { notificationId: id },
        { ...deliveryJobOptions(ctx.config), db: client },
      );
      return toNotification(rows[0]);
    }),
});
