/**
 * The `daily-digest` job, run by the `daily-digest` schedule (06:00 UTC) or sent by hand
 * with `{ day: 'YYYY-MM-DD' }`: summarises the day's deliveries (digest-summary.ts) and sends
 * the summary by webhook when NOTIFICATIONS_WEBHOOK_URL is set, else by email to
 * NOTIFICATIONS_DIGEST_EMAIL when SMTP_URL is set, else writes it to the log. The summary is
 * also the job's output.
 *
 * Invariant ONE_DIGEST_PER_DAY: the idempotency key `digest:<day>:<channel>` means a re-run
 * (a retried job, a second replica's catch-up) never sends a day twice; the queue's
 * SCHEDULE_TICK_ONCE already makes one job per tick.
 */
import { job } from '@bosun/core';
import { z } from 'zod';
import { digestText, summariseDay, yesterdayUtc } from '../digest-summary.js';
import { enqueueNotification } from '../enqueue-notification.js';
import { db } from '../notifications-context.js';
import type { NotificationsConfig } from '../notifications-env.js';
import { emailTarget, webhookTarget } from '../targets.js';

const DigestData = z
  .object({
    day: z.iso.date().optional().describe('The UTC day to summarise; default yesterday.'),
  })
  .nullish();

export const dailyDigestJob = job<typeof DigestData, unknown, NotificationsConfig>({
  description: "Summarises a day's deliveries and sends the summary on the configured channel.",
  data: DigestData,
  retryLimit: 3,
  retryBackoff: true,
  retryDelay: 60,
  handler: async (data, ctx) => {
    const day = data?.day ?? yesterdayUtc(new Date());
    const summary = await summariseDay(db(ctx), day);
    const text = digestText(summary);
    const config = ctx.config;
    const channel = config.NOTIFICATIONS_WEBHOOK_URL
      ? ({ channel: 'webhook', target: webhookTarget(undefined, config) } as const)
      : config.SMTP_URL && config.NOTIFICATIONS_DIGEST_EMAIL
        ? ({ channel: 'email', target: emailTarget(config.NOTIFICATIONS_DIGEST_EMAIL, config) } as const)
        : undefined;
    if (!channel) {
      ctx.log.info({ digest: summary }, `daily digest (no channel configured): ${text}`);
      return { summary, sent: null };
    }
    const { notification } = await enqueueNotification(ctx, {
      kind: 'digest',
      ...channel,
      subject: `bosun notifications digest for ${day}`,
      message: text,
      data: { digest: summary },
      idempotencyKey: `digest:${day}:${channel.channel}`,
    });
    ctx.log.info({ digest: summary, notificationId: notification.id }, 'daily digest queued');
    return { summary, sent: { channel: channel.channel, notificationId: notification.id } };
  },
});
