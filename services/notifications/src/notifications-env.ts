/**
 * The notifications service's own environment variables (merged by the runtime with
 * bosun's PORT, DATABASE_URL, NODE_ENV, ...). Declared here, read only through `ctx.config`;
 * the process environment itself is read in config.ts alone.
 *
 * Invariants:
 * - SECRET_REQUIRED_IN_PRODUCTION: with NODE_ENV=production and no
 *   NOTIFICATIONS_WEBHOOK_SECRET the process refuses to start, listing the variable with the
 *   others (core's REFINEMENTS_SEE_EVERY_VARIABLE). Elsewhere DEV_WEBHOOK_SECRET signs, with a
 *   warning at first use (webhook-signature.ts).
 * - SECRETS_NEVER_PRINTED (core): a bad value is reported by name and expectation, never
 *   echoed; the secret and SMTP_URL (which may hold a password) are never logged.
 */
import { z } from 'zod';

/** True for an absolute URL with one of `protocols` and no user or password in it. */
const isUrl =
  (...protocols: string[]) =>
  (text: string): boolean => {
    if (!URL.canParse(text)) return false;
    const url = new URL(text);
    return protocols.includes(url.protocol) && (url.protocol.startsWith('smtp') || url.username === '');
  };

/**
 * Custom checks rather than z.url(), so a bad value is reported with what this variable
 * expects (core prints a custom message as the expectation; never the value).
 * A webhook URL carries no credentials (WEBHOOKS_ARE_HTTP in targets.ts); an SMTP URL may.
 */
const webhookUrl = z.string().refine(isUrl('http:', 'https:'), {
  message: 'an absolute http:// or https:// URL without credentials',
});
const smtpUrl = z.string().refine(isUrl('smtp:', 'smtps:'), {
  message: 'an smtp:// or smtps:// URL, e.g. smtp://user:password@mail.example.com:587',
});

export const notificationsEnv = z
  .object({
    /** Where webhook notifications go when the caller names no URL (welcome, digest, sendNotification without `to`). */
    NOTIFICATIONS_WEBHOOK_URL: webhookUrl.optional(),
    /**
     * Comma-separated hosts a caller's own webhook `to` may name (`hooks.example.com`, or
     * `*.example.com` for its subdomains). Unset: any host. NOTIFICATIONS_WEBHOOK_URL is always allowed.
     */
    NOTIFICATIONS_WEBHOOK_ALLOWED_HOSTS: z
      .string()
      .optional()
      .transform((text) =>
        (text ?? '')
          .split(',')
          .map((h) => h.trim().toLowerCase())
          .filter(Boolean),
      ),
    /** HMAC-SHA256 key of the webhook signature. Required in production; 32+ characters. */
    NOTIFICATIONS_WEBHOOK_SECRET: z.string().min(32).optional(),
    /** SMTP server for the email channel, e.g. smtp://user:pass@mail:587 or smtps://...; unset = no email channel. */
    SMTP_URL: smtpUrl.optional(),
    /** The From address of emails. */
    NOTIFICATIONS_EMAIL_FROM: z.string().min(3).default('bosun notifications <notifications@localhost>'),
    /** Who gets the daily digest by email when no webhook URL is configured. */
    NOTIFICATIONS_DIGEST_EMAIL: z.email().optional(),
    /** Bound on one outbound call (webhook POST, SMTP session). */
    NOTIFICATIONS_DELIVERY_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
    /** Attempts after the first before a notification is dead-lettered. */
    NOTIFICATIONS_RETRY_LIMIT: z.coerce.number().int().min(0).max(20).default(2),
    /** Seconds before the first retry; each next retry waits twice as long (with jitter). */
    NOTIFICATIONS_RETRY_DELAY_SECONDS: z.coerce.number().int().min(1).max(86_400).default(10),
  })
  .refine(
    (env) =>
      (env as { NODE_ENV?: string }).NODE_ENV !== 'production' ||
      env.NOTIFICATIONS_WEBHOOK_SECRET !== undefined,
    {
      path: ['NOTIFICATIONS_WEBHOOK_SECRET'],
      message: 'a secret of at least 32 characters (required when NODE_ENV=production)',
      // Run even when other variables are bad, so one error lists every problem.
      when: () => true,
    },
  );

/** What a notifications handler reads from `ctx.config` (bosun's variables it uses plus its own). */
export interface NotificationsConfig {
  NODE_ENV: 'development' | 'test' | 'production';
  NOTIFICATIONS_WEBHOOK_URL?: string;
  NOTIFICATIONS_WEBHOOK_ALLOWED_HOSTS?: string[];
  NOTIFICATIONS_WEBHOOK_SECRET?: string;
  SMTP_URL?: string;
  NOTIFICATIONS_EMAIL_FROM: string;
  NOTIFICATIONS_DIGEST_EMAIL?: string;
  NOTIFICATIONS_DELIVERY_TIMEOUT_MS: number;
  NOTIFICATIONS_RETRY_LIMIT: number;
  NOTIFICATIONS_RETRY_DELAY_SECONDS: number;
}
