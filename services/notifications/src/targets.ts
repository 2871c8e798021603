/**
 * Where a notification may go: the rules that turn a caller's `to` (or the configured
 * default) into a stored target, with a coded error for each bad input.
 *
 * Invariants:
 * - WEBHOOKS_ARE_HTTP: a webhook target is an absolute http: or https: URL without
 *   credentials (NOTIFICATIONS_WEBHOOK_URL_INVALID); file:, javascript:, relative and
 *   credential-carrying URLs are refused before anything is written.
 * - CHANNEL_MUST_BE_CONFIGURED: email needs SMTP_URL, a webhook without `to` needs
 *   NOTIFICATIONS_WEBHOOK_URL (NOTIFICATIONS_CHANNEL_UNAVAILABLE, naming the variable).
 * - CALLER_HOSTS_ARE_ALLOW_LISTED: with NOTIFICATIONS_WEBHOOK_ALLOWED_HOSTS set, a caller's own
 *   `to` must name one of those hosts (exact, or `*.domain` for subdomains), else
 *   NOTIFICATIONS_WEBHOOK_HOST_NOT_ALLOWED; the configured NOTIFICATIONS_WEBHOOK_URL always passes.
 * Hazard: without the allow-list a caller with `notifications:write` chooses any URL, so this
 * service can be made to POST to internal addresses. Set the list in production; see AGENTS.md.
 */
import { z } from 'zod';
import { notificationsErrors } from './notifications.errors.js';
import type { NotificationsConfig } from './notifications-env.js';
import type { Channel } from './schemas.js';

const emailAddress = z.email().max(254);

export function webhookTarget(to: string | undefined, config: NotificationsConfig): string {
  const url = to ?? config.NOTIFICATIONS_WEBHOOK_URL;
  if (url === undefined) {
    throw notificationsErrors.create(
      'NOTIFICATIONS_CHANNEL_UNAVAILABLE',
      'No webhook URL: pass `to` (an http(s) URL) or set NOTIFICATIONS_WEBHOOK_URL.',
    );
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw notificationsErrors.create(
      'NOTIFICATIONS_WEBHOOK_URL_INVALID',
      '`to` must be an absolute URL such as https://example.com/hooks/bosun.',
    );
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw notificationsErrors.create(
      'NOTIFICATIONS_WEBHOOK_URL_INVALID',
      `\`to\` uses ${parsed.protocol.slice(0, 20)} — a webhook URL must start with http:// or https://.`,
    );
  }
  if (parsed.username || parsed.password) {
    throw notificationsErrors.create(
      'NOTIFICATIONS_WEBHOOK_URL_INVALID',
      'A webhook URL must not carry credentials; receivers verify the Bosun-Signature header instead.',
    );
  }
  const allowed = config.NOTIFICATIONS_WEBHOOK_ALLOWED_HOSTS ?? [];
  if (to !== undefined && allowed.length > 0 && !hostAllowed(parsed.hostname, allowed)) {
    throw notificationsErrors.create(
      'NOTIFICATIONS_WEBHOOK_HOST_NOT_ALLOWED',
      `Webhooks may go to ${allowed.join(', ')} on this deployment; ask an operator to add the host to NOTIFICATIONS_WEBHOOK_ALLOWED_HOSTS.`,
    );
  }
  return parsed.href;
}

/** `hooks.example.com` matches itself; `*.example.com` matches any subdomain of example.com. */
function hostAllowed(host: string, allowed: ReadonlyArray<string>): boolean {
  const name = host.toLowerCase();
  return allowed.some((rule) =>
    rule.startsWith('*.') ? name.endsWith(rule.slice(1)) && name.length > rule.length - 1 : name === rule,
  );
}

export function emailTarget(to: string | undefined, config: NotificationsConfig): string {
  if (!config.SMTP_URL) {
    throw notificationsErrors.create(
      'NOTIFICATIONS_CHANNEL_UNAVAILABLE',
      'The email channel is off on this deployment: set SMTP_URL (smtp:// or smtps://) to turn it on.',
    );
  }
  if (to === undefined || !emailAddress.safeParse(to).success) {
    throw notificationsErrors.create(
      'NOTIFICATIONS_RECIPIENT_INVALID',
      '`to` must be the recipient’s email address for the email channel.',
    );
  }
  return to;
}

export function resolveTarget(channel: Channel, to: string | undefined, config: NotificationsConfig): string {
  return channel === 'webhook' ? webhookTarget(to, config) : emailTarget(to, config);
}
