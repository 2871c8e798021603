/**
 * The one place the notifications service reads the environment. The variables are
 * declared by bosun (PORT, HEALTH_PORT, DATABASE_URL, NATS_URL, NODE_ENV, ...) and by the
 * definition's `env` schema (notifications-env.ts: NOTIFICATIONS_WEBHOOK_URL,
 * NOTIFICATIONS_WEBHOOK_SECRET, SMTP_URL, ...).
 */
export const env: Record<string, string | undefined> = process.env;
