/**
 * Which secret signs this process's webhooks.
 *
 * Invariant DEV_SECRET_ONLY_OUTSIDE_PRODUCTION: NOTIFICATIONS_WEBHOOK_SECRET when set;
 * otherwise, outside production only, the public DEV_WEBHOOK_SECRET with a warning logged
 * once per config. In production config refuses to start without the variable
 * (SECRET_REQUIRED_IN_PRODUCTION, notifications-env.ts). The secret itself is never logged.
 * Hazard: the warning comes at the first signed webhook, not at boot (no start hook).
 */
import type { Logger } from '@bosun/core';
import { DEV_WEBHOOK_SECRET } from './webhook-signature.js';

const warned = new WeakSet<object>();

/** The signing secret for `config`: NOTIFICATIONS_WEBHOOK_SECRET, or the dev secret with a warning (once per config). */
export function webhookSecret(
  config: { NODE_ENV: string; NOTIFICATIONS_WEBHOOK_SECRET?: string },
  log: Logger,
): string {
  if (config.NOTIFICATIONS_WEBHOOK_SECRET) return config.NOTIFICATIONS_WEBHOOK_SECRET;
  if (config.NODE_ENV === 'production') {
    // Config refuses to start like this; reaching here means a caller built config by hand.
    throw new Error('NOTIFICATIONS_WEBHOOK_SECRET is required in production; set it and restart.');
  }
  if (!warned.has(config)) {
    warned.add(config);
    log.warn(
      'signing webhooks with the public development secret; set NOTIFICATIONS_WEBHOOK_SECRET (32+ characters) — it is required in production',
    );
  }
  return DEV_WEBHOOK_SECRET;
}
