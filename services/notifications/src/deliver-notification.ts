/**
 * One delivery attempt of one notification, as the `deliver-notification` job runs it:
 * log the attempt, call the channel, record the outcome, and tell the queue (by returning
 * or throwing) whether to retry.
 *
 * Invariants:
 * - ATTEMPT_IS_LOGGED_BEFORE_IT_IS_MADE (migrations.ts): the `started` row commits before
 *   the outbound call; an earlier `started` row of the same notification can only be an
 *   attempt cut short by a crash or a stop, and is marked `interrupted` here.
 * - DELIVERED_IS_FINAL: a delivered notification is never sent again — a second run of its
 *   job (at-least-once: e.g. the worker died after the POST but before completing) sees
 *   status `delivered` and returns without a call.
 * - DEAD_AFTER_LAST_ATTEMPT: when the queue's last attempt fails (attempt > retryLimit) the
 *   notification becomes `dead` at once; the queue then puts the job on DEAD_LETTER_QUEUE,
 *   whose worker (jobs/dead-letter.job.ts) also covers a last attempt that died with its
 *   worker. retryNotification sends a dead notification again.
 * - STOP_IS_NOT_FAILURE: an attempt aborted because the process stops is `interrupted`, does
 *   not change the notification's status, and the queue releases the job uncounted.
 */
import { performance } from 'node:perf_hooks';
import type { JobContext } from '@bosun/core';
import type { DeliveryResult } from './channels/delivery-result.js';
import { sendEmail } from './channels/email-channel.js';
import { postWebhook } from './channels/webhook-channel.js';
import { notificationsErrors } from './notifications.errors.js';
import { db } from './notifications-context.js';
import type { NotificationsConfig } from './notifications-env.js';
import type { NotificationRow } from './schemas.js';
import { webhookSecret } from './signing-secret.js';

type AttemptRow = NotificationRow & { attempt_id: string };

export interface DeliveryOutcome {
  notificationId: string;
  status: 'delivered' | 'already-delivered' | 'not-found';
  attempt?: number;
}

/** The JSON a webhook receiver gets; the same bytes on every attempt of a notification. */
export function webhookBody(row: NotificationRow): string {
  return JSON.stringify({
    id: row.id,
    kind: row.kind,
    subject: row.subject,
    message: row.message,
    data: row.data,
    createdAt: row.created_at.toISOString(),
  });
}

export async function deliverNotification(
  notificationId: string,
  ctx: JobContext<NotificationsConfig>,
): Promise<DeliveryOutcome> {
  const pool = db(ctx);
  const { rows } = await pool.query<AttemptRow>(
    `WITH n AS (
       UPDATE notifications SET attempts = attempts + 1, updated_at = now()
        WHERE id = $1 AND status <> 'delivered'
        RETURNING *),
     stale AS (
       UPDATE delivery_attempts
          SET outcome = 'interrupted', finished_at = now(),
              error = 'the process stopped or died during this attempt'
        WHERE notification_id = $1 AND outcome = 'started'),
     a AS (
       INSERT INTO delivery_attempts (notification_id, attempt) SELECT id, attempts FROM n RETURNING id)
     SELECT n.*, a.id::text AS attempt_id FROM n, a`,
    [notificationId],
  );
  const row = rows[0];
  if (!row) {
    const found = await pool.query('SELECT 1 FROM notifications WHERE id = $1', [notificationId]);
    return { notificationId, status: found.rows.length > 0 ? 'already-delivered' : 'not-found' };
  }

  const started = performance.now();
  const result = await callChannel(row, ctx);
  const durationMs = Math.round(performance.now() - started);
  const log = ctx.log.child({ notificationId, attempt: row.attempts, channel: row.channel });

  if (result.ok) {
    await pool.query(
      `WITH a AS (
         UPDATE delivery_attempts SET outcome = 'delivered', status_code = $3, duration_ms = $4, finished_at = now()
          WHERE id = $2)
       UPDATE notifications SET status = 'delivered', delivered_at = now(), last_error = NULL, updated_at = now()
        WHERE id = $1`,
      [notificationId, row.attempt_id, result.statusCode, durationMs],
    );
    log.info({ statusCode: result.statusCode, durationMs }, 'notification delivered');
    return { notificationId, status: 'delivered', attempt: row.attempts };
  }

  const last = !result.interrupted && ctx.job.attempt > ctx.job.retryLimit;
  const status = result.interrupted ? null : last ? 'dead' : 'retrying';
  await pool.query(
    `WITH a AS (
       UPDATE delivery_attempts SET outcome = $3, status_code = $4, error = $5, duration_ms = $6, finished_at = now()
        WHERE id = $2)
     UPDATE notifications SET status = coalesce($7, status), last_error = $5, updated_at = now()
      WHERE id = $1 AND status <> 'delivered'`,
    [
      notificationId,
      row.attempt_id,
      result.interrupted ? 'interrupted' : 'failed',
      result.statusCode,
      result.error,
      durationMs,
      status,
    ],
  );
  if (last) log.warn({ statusCode: result.statusCode, error: result.error }, 'last delivery attempt failed');
  else log.warn({ statusCode: result.statusCode, error: result.error }, 'delivery attempt failed');
  throw notificationsErrors.create(
    'NOTIFICATIONS_DELIVERY_FAILED',
    `Attempt ${row.attempts} of notification ${notificationId} failed: ${result.error ?? 'unknown error'}.`,
    { meta: { statusCode: result.statusCode, dead: last } },
  );
}

function callChannel(row: NotificationRow, ctx: JobContext<NotificationsConfig>): Promise<DeliveryResult> {
  const signals = { signal: ctx.signal, timeoutMs: ctx.config.NOTIFICATIONS_DELIVERY_TIMEOUT_MS };
  if (row.channel === 'webhook') {
    return postWebhook(
      {
        url: row.target,
        body: webhookBody(row),
        secret: webhookSecret(ctx.config, ctx.log),
        notificationId: row.id,
        attempt: row.attempts,
      },
      signals,
    );
  }
  if (!ctx.config.SMTP_URL) {
    return Promise.resolve({
      ok: false,
      statusCode: null,
      error: 'SMTP_URL is not set on this deployment any more',
      interrupted: false,
    });
  }
  return sendEmail(
    {
      smtpUrl: ctx.config.SMTP_URL,
      from: ctx.config.NOTIFICATIONS_EMAIL_FROM,
      to: row.target,
      subject: row.subject,
      text: row.message,
      notificationId: row.id,
    },
    signals,
  );
}
