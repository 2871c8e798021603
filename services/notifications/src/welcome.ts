/**
 * The welcome: on `user.created`, queue a welcome notification on every configured
 * channel — a webhook to NOTIFICATIONS_WEBHOOK_URL, and an email to the new user when
 * SMTP_URL is set. With neither, the event is acknowledged and an info line says so.
 *
 * Invariants:
 * - ONE_WELCOME_PER_USER: the idempotency key `welcome:<user id>:<channel>` makes a
 *   redelivered event (at-least-once on the bus) a no-op (ONE_NOTIFICATION_PER_KEY).
 * - CONSUMER_OWNS_ITS_SCHEMA (schemas.ts): the payload is validated against this service's
 *   own `UserCreated`; data that can never match is dead-lettered by the bus at once.
 * - A failure to write throws, so the bus redelivers the event later (nothing is lost).
 */
import { subscribe } from '@bosun/core';
import type { z } from 'zod';
import { enqueueNotification } from './enqueue-notification.js';
import type { NotificationsContext } from './notifications-context.js';
import type { NotificationsConfig } from './notifications-env.js';
import { type Channel, UserCreated } from './schemas.js';
import { emailTarget, webhookTarget } from './targets.js';

type User = z.output<typeof UserCreated>;

function welcomeTargets(
  user: User,
  config: NotificationsConfig,
): Array<{ channel: Channel; target: string }> {
  const targets: Array<{ channel: Channel; target: string }> = [];
  if (config.NOTIFICATIONS_WEBHOOK_URL)
    targets.push({ channel: 'webhook', target: webhookTarget(undefined, config) });
  if (config.SMTP_URL) {
    try {
      targets.push({ channel: 'email', target: emailTarget(user.email, config) });
    } catch {
      // An address the users service accepted but SMTP cannot take: the webhook still goes.
    }
  }
  return targets;
}

export const welcomeOnUserCreated = subscribe({
  schema: UserCreated,
  handler: async (user, ctx: NotificationsContext) => {
    const targets = welcomeTargets(user, ctx.config);
    if (targets.length === 0) {
      ctx.log.info(
        { userId: user.id },
        'no welcome sent: set NOTIFICATIONS_WEBHOOK_URL or SMTP_URL to send one',
      );
      return;
    }
    for (const { channel, target } of targets) {
      const { notification, created } = await enqueueNotification(ctx, {
        kind: 'welcome',
        channel,
        target,
        subject: `Welcome, ${user.name}`,
        message: `Welcome to bosun, ${user.name}! Your account ${user.email} is ready.`,
        data: { user: { id: user.id, email: user.email, name: user.name, createdAt: user.createdAt } },
        idempotencyKey: `welcome:${user.id}:${channel}`,
      });
      ctx.log.info({ userId: user.id, notificationId: notification.id, channel, created }, 'welcome queued');
    }
  },
});
