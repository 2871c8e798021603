/**
 * The `notification-dead-letters` job: the queue copies a delivery here after its last
 * failed attempt (DEAD_LETTER_ON_LAST_FAILURE). This worker makes the notification's record
 * tell the truth, whatever ended the delivery: a last attempt that failed has already set
 * `dead` (deliver-notification.ts), but a last attempt whose worker died (the job expired)
 * never ran that code, so here the status becomes `dead` and its `started` attempt
 * `interrupted`. Then it logs at error level, once per dead notification.
 *
 * Invariant DEAD_IS_RECORDED: every dead-lettered delivery leaves its notification `dead`
 * (unless it was delivered meanwhile), with no attempt left `started`. To try again, call
 * retryNotification.
 */
import { job } from '@bosun/core';
import { z } from 'zod';
import { db } from '../notifications-context.js';
import type { NotificationsConfig } from '../notifications-env.js';

const DeadLetter = z.object({ notificationId: z.uuid() });

export const deadLetterJob = job<typeof DeadLetter, unknown, NotificationsConfig>({
  description: 'Records a delivery that ran out of attempts: the notification becomes dead.',
  data: DeadLetter,
  retryLimit: 5,
  retryBackoff: true,
  handler: async ({ notificationId }, ctx) => {
    const { rows } = await db(ctx).query<{ status: string; attempts: number; last_error: string | null }>(
      `WITH stale AS (
         UPDATE delivery_attempts
            SET outcome = 'interrupted', finished_at = now(),
                error = 'the process stopped or died during this attempt'
          WHERE notification_id = $1 AND outcome = 'started')
       UPDATE notifications
          SET status = CASE WHEN status = 'delivered' THEN status ELSE 'dead' END,
              last_error = CASE WHEN status = 'delivered' THEN last_error
                                ELSE coalesce(last_error, 'the last attempt was interrupted') END,
              updated_at = now()
        WHERE id = $1
        RETURNING status, attempts, last_error`,
      [notificationId],
    );
    const row = rows[0];
    if (!row) return { notificationId, status: 'not-found' };
    if (row.status === 'dead') {
      ctx.log.error(
        { notificationId, attempts: row.attempts, error: row.last_error },
        'notification is dead: every attempt failed; retryNotification sends it again',
      );
    }
    return { notificationId, status: row.status };
  },
});
