/**
 * The webhook channel: one signed JSON POST per attempt.
 *
 * Invariants:
 * - OUTBOUND_IS_BOUNDED: every POST is aborted after NOTIFICATIONS_DELIVERY_TIMEOUT_MS, or at
 *   once when the process stops (the attempt is then `interrupted`, not failed).
 * - NO_REDIRECTS: a 3xx is a failed attempt; the signed body is never re-sent to a host the
 *   notification did not name.
 * - 2xx is delivered; anything else (status, timeout, network error) is a failed attempt the
 *   queue retries with backoff. Signature scheme: webhook-signature.ts.
 */

import {
  ATTEMPT_HEADER,
  NOTIFICATION_ID_HEADER,
  SIGNATURE_HEADER,
  signWebhook,
  TIMESTAMP_HEADER,
} from '../webhook-signature.js';
import { type AttemptSignals, type DeliveryResult, describeError } from './delivery-result.js';

export interface WebhookRequest {
  url: string;
  /** The JSON body, exactly as signed and sent. */
  body: string;
  secret: string;
  notificationId: string;
  attempt: number;
  /** Unix ms; default Date.now(). */
  now?: number;
}

export async function postWebhook(request: WebhookRequest, signals: AttemptSignals): Promise<DeliveryResult> {
  const timestamp = Math.floor((request.now ?? Date.now()) / 1000);
  const host = new URL(request.url).host;
  try {
    const res = await fetch(request.url, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'bosun-notifications/0.1',
        [TIMESTAMP_HEADER]: String(timestamp),
        [SIGNATURE_HEADER]: signWebhook(request.secret, timestamp, request.body),
        [NOTIFICATION_ID_HEADER]: request.notificationId,
        [ATTEMPT_HEADER]: String(request.attempt),
      },
      body: request.body,
      signal: AbortSignal.any([signals.signal, AbortSignal.timeout(signals.timeoutMs)]),
    });
    // The body is not read: it is not needed, and it may echo what was sent.
    await res.body?.cancel().catch(() => {});
    if (res.status >= 200 && res.status < 300)
      return { ok: true, statusCode: res.status, error: null, interrupted: false };
    return {
      ok: false,
      statusCode: res.status,
      error: `HTTP ${res.status} from ${host}`,
      interrupted: false,
    };
  } catch (error) {
    if (signals.signal.aborted)
      return { ok: false, statusCode: null, error: 'interrupted: the process stopped', interrupted: true };
    return {
      ok: false,
      statusCode: null,
      error: `${describeError(error, signals.timeoutMs)} (${host})`,
      interrupted: false,
    };
  }
}
