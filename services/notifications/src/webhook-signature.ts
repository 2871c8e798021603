/**
 * Webhook signatures: how this service signs a POST and how a receiver verifies it.
 *
 *   Bosun-Timestamp: <unix seconds>
 *   Bosun-Signature: v1=<hex HMAC-SHA256(secret, `${timestamp}.${body}`)>
 *
 * `body` is the raw request body, byte for byte as received (verify before parsing JSON).
 * A receiver recomputes the HMAC with the shared secret, compares in constant time, and
 * refuses timestamps further than `toleranceSeconds` from its clock (replays).
 *
 * Invariants:
 * - SIGNATURE_COVERS_TIMESTAMP: the timestamp is inside the signed text, so it cannot be
 *   changed to replay an old body.
 * - CONSTANT_TIME_COMPARE: `verifyWebhookSignature` compares with timingSafeEqual.
 * - SECRET_NEVER_LEAVES: neither function logs or returns the secret.
 * Dependency-free on purpose: receivers import it (`@bosun/service-notifications/webhook-signature`).
 * Not here: which secret signs (signing-secret.ts), the HTTP call (channels/webhook-channel.ts).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'bosun-signature';
export const TIMESTAMP_HEADER = 'bosun-timestamp';
/** The notification id: the same on every attempt, so a receiver can drop duplicates (delivery is at-least-once). */
export const NOTIFICATION_ID_HEADER = 'bosun-notification-id';
/** 1 on the first attempt. */
export const ATTEMPT_HEADER = 'bosun-attempt';

/** Signs when NOTIFICATIONS_WEBHOOK_SECRET is unset outside production. Public by design: never use it for real receivers. */
export const DEV_WEBHOOK_SECRET = 'bosun-development-webhook-secret-not-for-production';

const VERSION = 'v1';

/** The `Bosun-Signature` value for `body` sent at `timestamp` (unix seconds). */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  const mac = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `${VERSION}=${mac}`;
}

export interface VerifyWebhookInput {
  secret: string;
  /** The raw body as received. */
  body: string | Buffer;
  /** The `Bosun-Signature` header. */
  signature: string | undefined | null;
  /** The `Bosun-Timestamp` header. */
  timestamp: string | undefined | null;
  /** Largest accepted clock difference, in seconds. Default 300. */
  toleranceSeconds?: number;
  /** The receiver's clock, in ms. Default Date.now(). */
  now?: number;
}

export type VerifyResult =
  | { ok: true; timestamp: number }
  | { ok: false; reason: 'missing-header' | 'malformed' | 'stale' | 'mismatch' };

/**
 * Verifies a webhook request. Returns why it failed rather than throwing, so a receiver can
 * answer 400/401 and log the reason.
 * @example
 * const r = verifyWebhookSignature({ secret, body: rawBody,
 *   signature: req.headers['bosun-signature'], timestamp: req.headers['bosun-timestamp'] });
 * if (!r.ok) return res.writeHead(401).end(r.reason);
 */
export function verifyWebhookSignature(input: VerifyWebhookInput): VerifyResult {
  if (!input.signature || !input.timestamp) return { ok: false, reason: 'missing-header' };
  if (!/^\d{1,12}$/.test(input.timestamp)) return { ok: false, reason: 'malformed' };
  const timestamp = Number(input.timestamp);
  const match = /^v1=([0-9a-f]{64})$/.exec(input.signature.trim());
  if (!match) return { ok: false, reason: 'malformed' };
  const now = Math.floor((input.now ?? Date.now()) / 1000);
  if (Math.abs(now - timestamp) > (input.toleranceSeconds ?? 300)) return { ok: false, reason: 'stale' };
  const body = typeof input.body === 'string' ? input.body : input.body.toString('utf8');
  const expected = Buffer.from(signWebhook(input.secret, timestamp, body).slice(VERSION.length + 1), 'hex');
  const given = Buffer.from(match[1]!, 'hex');
  return timingSafeEqual(expected, given) ? { ok: true, timestamp } : { ok: false, reason: 'mismatch' };
}
