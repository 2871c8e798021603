/**
 * The notifications service's error registry: every error it returns on purpose has one of
 * these codes (or a core BOSUN_* code: validation, config). Codes are stable and never
 * reused (CODES_ARE_STABLE, CODES_ARE_NEVER_REUSED); `docs/services/notifications.md` lists
 * them and tests/errors-doc.test.ts fails when the table drifts from this registry.
 *
 * Hazard: a `detail` is shown to the caller. Never put the webhook secret, SMTP_URL or a
 * signature in one (SECRETS_NEVER_PRINTED).
 */
import { defineErrors } from '@bosun/core';

export const notificationsErrors = defineErrors('@bosun/service-notifications', {
  NOTIFICATIONS_NOT_FOUND: { status: 404, retryable: false, title: 'No such notification' },
  NOTIFICATIONS_NOT_DEAD: {
    status: 409,
    retryable: false,
    title: 'Only a dead notification can be retried',
  },
  NOTIFICATIONS_WEBHOOK_URL_INVALID: {
    status: 400,
    retryable: false,
    title: 'The webhook URL is not an absolute http(s) URL',
  },
  NOTIFICATIONS_WEBHOOK_HOST_NOT_ALLOWED: {
    status: 403,
    retryable: false,
    title: 'The webhook host is not in NOTIFICATIONS_WEBHOOK_ALLOWED_HOSTS',
  },
  NOTIFICATIONS_RECIPIENT_INVALID: {
    status: 400,
    retryable: false,
    title: 'The email recipient is not an email address',
  },
  NOTIFICATIONS_CHANNEL_UNAVAILABLE: {
    status: 409,
    retryable: false,
    title: 'The channel is not configured on this deployment (no webhook URL or no SMTP_URL)',
  },
  NOTIFICATIONS_DELIVERY_FAILED: {
    status: 502,
    retryable: true,
    title: 'The receiver refused or did not answer the delivery attempt',
  },
});

export type NotificationsErrorCode = keyof typeof notificationsErrors.specs;
