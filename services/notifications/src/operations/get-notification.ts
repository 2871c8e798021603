/**
 * getNotification — GET /notifications/:id (scope notifications:read): a notification with
 * its delivery log, one row per attempt in attempt order (outcome, status code, error,
 * duration).
 */
import { operation } from '@bosun/core';
import { z } from 'zod';
import { notificationsErrors } from '../notifications.errors.js';
import { db, type NotificationsContext, SCOPES } from '../notifications-context.js';
import {
  DeliveryAttempt,
  NOTIFICATION_COLUMNS,
  Notification,
  NotificationId,
  type NotificationRow,
  toNotification,
} from '../schemas.js';

interface AttemptRow extends Record<string, unknown> {
  attempt: number;
  outcome: z.output<typeof DeliveryAttempt>['outcome'];
  status_code: number | null;
  error: string | null;
  duration_ms: number | null;
  started_at: Date;
}

export const getNotification = operation({
  title: 'Get a notification and its delivery log',
  description: 'Returns one notification with every delivery attempt made for it.',
  input: z.object({ id: NotificationId }),
  output: Notification.extend({ deliveries: z.array(DeliveryAttempt) }),
  http: 'GET /notifications/:id',
  idempotent: true,
  scope: SCOPES.read,
  handler: async ({ id }, ctx: NotificationsContext) => {
    const found = await db(ctx).query<NotificationRow>(
      `SELECT ${NOTIFICATION_COLUMNS} FROM notifications WHERE id = $1`,
      [id],
    );
    if (!found.rows[0])
      throw notificationsErrors.create('NOTIFICATIONS_NOT_FOUND', `No notification has id ${id}.`);
    const attempts = await db(ctx).query<AttemptRow>(
      `SELECT attempt, outcome, status_code, error, duration_ms, started_at
         FROM delivery_attempts WHERE notification_id = $1 ORDER BY id`,
      [id],
    );
    return {
      ...toNotification(found.rows[0]),
      deliveries: attempts.rows.map((a) => ({
        attempt: a.attempt,
        outcome: a.outcome,
        statusCode: a.status_code,
        error: a.error,
        durationMs: a.duration_ms,
        startedAt: a.started_at.toISOString(),
      })),
    };
  },
});
