/**
 * The `deliver-notification` job: one attempt per run (deliver-notification.ts). The
 * options here are the defaults for a job sent without any; every notification this service
 * creates is sent with the options from config (`deliveryJobOptions`), so retries, backoff
 * and expiry follow NOTIFICATIONS_RETRY_LIMIT, NOTIFICATIONS_RETRY_DELAY_SECONDS and
 * NOTIFICATIONS_DELIVERY_TIMEOUT_MS.
 */
import { job } from '@bosun/core';
import { z } from 'zod';
import { deliverNotification } from '../deliver-notification.js';
import { DEAD_LETTER_QUEUE } from '../notifications-context.js';
import type { NotificationsConfig } from '../notifications-env.js';

const DeliveryData = z.object({ notificationId: z.uuid() });

export const deliverNotificationJob = job<typeof DeliveryData, unknown, NotificationsConfig>({
  description: 'Delivers one notification over its channel; retried with backoff, then dead-lettered.',
  data: DeliveryData,
  retryLimit: 2,
  retryDelay: 10,
  retryBackoff: true,
  expireInSeconds: 15,
  deadLetter: DEAD_LETTER_QUEUE,
  concurrency: 8,
  handler: ({ notificationId }, ctx) => deliverNotification(notificationId, ctx),
});
