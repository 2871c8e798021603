/**
 * notifications — the platform's outbound messages: a welcome on `user.created`, messages
 * sent by callers (`sendNotification`), and a daily digest, delivered by signed webhook or by
 * email (SMTP) as durable jobs with retries, backoff, a delivery log per attempt and a dead
 * letter after the last attempt. One definition serves REST (+ OpenAPI), MCP and NATS RPC.
 * Its tables live in its own `notifications` schema.
 *
 * Each operation is a file in operations/, each job one in jobs/; this file only assembles
 * them. Invariants are listed by name in AGENTS.md.
 */
import { defineService } from '@bosun/core';
import { dailyDigestJob } from './jobs/daily-digest.job.js';
import { deadLetterJob } from './jobs/dead-letter.job.js';
import { deliverNotificationJob } from './jobs/deliver-notification.job.js';
import { migrations } from './migrations.js';
import { DEAD_LETTER_QUEUE, DELIVER_JOB, DIGEST_JOB } from './notifications-context.js';
import { notificationsEnv } from './notifications-env.js';
import { getNotification } from './operations/get-notification.js';
import { listNotifications } from './operations/list-notifications.js';
import { retryNotification } from './operations/retry-notification.js';
import { sendNotification } from './operations/send-notification.js';
import { welcomeOnUserCreated } from './welcome.js';

export { notificationsErrors } from './notifications.errors.js';
export { Notification } from './schemas.js';
export {
  ATTEMPT_HEADER,
  NOTIFICATION_ID_HEADER,
  SIGNATURE_HEADER,
  signWebhook,
  TIMESTAMP_HEADER,
  verifyWebhookSignature,
} from './webhook-signature.js';

export const notifications = defineService({
  name: 'notifications',
  version: '0.1.0',
  description:
    'Outbound notifications: signed webhooks and email with retries, a delivery log, dead letters, a welcome on sign-up and a daily digest.',
  env: notificationsEnv,
  migrations,
  operations: { sendNotification, getNotification, listNotifications, retryNotification },
  jobs: {
    [DELIVER_JOB]: deliverNotificationJob,
    [DEAD_LETTER_QUEUE]: deadLetterJob,
    [DIGEST_JOB]: dailyDigestJob,
  },
  schedules: { [DIGEST_JOB]: { cron: '0 6 * * *', tz: 'UTC' } },
  events: { subscribes: { 'user.created': welcomeOnUserCreated } },
});
