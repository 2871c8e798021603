/**
 * sendNotification — POST /notifications (scope notifications:write): queues a notification
 * for a channel and answers at once with it (status `queued`); delivery runs as a job.
 *
 * Invariants: WEBHOOKS_ARE_HTTP and CHANNEL_MUST_BE_CONFIGURED (targets.ts) — bad input is a
 * coded 400/409 and writes nothing; ONE_NOTIFICATION_PER_KEY with `idempotencyKey`;
 * NOTIFICATION_AND_JOB_COMMIT_TOGETHER.
 */
import { operation } from '@bosun/core';
import { z } from 'zod';
import { enqueueNotification } from '../enqueue-notification.js';
import { type NotificationsContext, SCOPES } from '../notifications-context.js';
import { Channel, Notification } from '../schemas.js';
import { resolveTarget } from '../targets.js';

export const sendNotification = operation({
  title: 'Send a notification',
  description:
    'Queues a notification for delivery by webhook (signed POST) or email. Returns it with status `queued`; read its delivery log with getNotification.',
  input: z.object({
    channel: Channel,
    to: z
      .string()
      .min(1)
      .max(2048)
      .optional()
      .describe('Webhook: an http(s) URL (default NOTIFICATIONS_WEBHOOK_URL). Email: the address.'),
    subject: z.string().trim().min(1).max(200).default('Notification'),
    message: z.string().min(1).max(10_000),
    data: z.record(z.string(), z.unknown()).optional().describe('Extra JSON sent with a webhook.'),
    idempotencyKey: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .describe('Send the same key again to get the same notification instead of a second one.'),
  }),
  output: Notification,
  http: 'POST /notifications',
  scope: SCOPES.write,
  handler: async (input, ctx: NotificationsContext) => {
    const target = resolveTarget(input.channel, input.to, ctx.config);
    const { notification } = await enqueueNotification(ctx, {
      kind: 'message',
      channel: input.channel,
      target,
      subject: input.subject,
      message: input.message,
      data: input.data,
      idempotencyKey: input.idempotencyKey === undefined ? undefined : `message:${input.idempotencyKey}`,
    });
    return notification;
  },
});
