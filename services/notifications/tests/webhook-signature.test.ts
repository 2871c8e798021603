/**
 * The webhook signature scheme as a receiver uses it: SIGNATURE_COVERS_TIMESTAMP,
 * CONSTANT_TIME_COMPARE (by behaviour: any change is a mismatch), replay tolerance.
 */
import { createHmac } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import {
  DEV_WEBHOOK_SECRET,
  signWebhook,
  type VerifyResult,
  verifyWebhookSignature,
} from '../src/webhook-signature.js';

const secret = 'receiver-and-sender-share-this-secret';
const body = JSON.stringify({ id: 'n1', kind: 'message', message: 'héllo' });
const now = Date.UTC(2026, 0, 15, 12, 0, 0);
const ts = Math.floor(now / 1000);
const reasonOf = (r: VerifyResult) => (r.ok ? 'ok' : r.reason);

describe('webhook signatures', () => {
  test('the signature is v1= hex HMAC-SHA256 of "timestamp.body", as documented', () => {
    const expected = createHmac('sha256', secret).update(`${ts}.${body}`).digest('hex');
    expect(signWebhook(secret, ts, body)).toBe(`v1=${expected}`);
  });

  test('a receiver accepts a signed request, given the raw body as a string or a Buffer', () => {
    const signature = signWebhook(secret, ts, body);
    expect(verifyWebhookSignature({ secret, body, signature, timestamp: String(ts), now })).toEqual({
      ok: true,
      timestamp: ts,
    });
    expect(
      verifyWebhookSignature({
        secret,
        body: Buffer.from(body, 'utf8'),
        signature,
        timestamp: String(ts),
        now,
      }).ok,
    ).toBe(true);
  });

  test('a changed body, a changed timestamp or another secret is a mismatch', () => {
    const signature = signWebhook(secret, ts, body);
    const check = (over: Partial<Parameters<typeof verifyWebhookSignature>[0]>) =>
      verifyWebhookSignature({ secret, body, signature, timestamp: String(ts), now, ...over });
    expect(check({ body: body.replace('héllo', 'hello') })).toEqual({ ok: false, reason: 'mismatch' });
    expect(check({ timestamp: String(ts + 1) })).toEqual({ ok: false, reason: 'mismatch' });
    expect(check({ secret: DEV_WEBHOOK_SECRET })).toEqual({ ok: false, reason: 'mismatch' });
  });

  test('a timestamp older or newer than the tolerance is stale, even with a valid signature', () => {
    const old = ts - 301;
    const signature = signWebhook(secret, old, body);
    expect(verifyWebhookSignature({ secret, body, signature, timestamp: String(old), now })).toEqual({
      ok: false,
      reason: 'stale',
    });
    expect(
      verifyWebhookSignature({ secret, body, signature, timestamp: String(old), now, toleranceSeconds: 600 })
        .ok,
    ).toBe(true);
  });

  test('missing or malformed headers are refused without comparing', () => {
    const signature = signWebhook(secret, ts, body);
    expect(
      verifyWebhookSignature({ secret, body, signature: undefined, timestamp: String(ts), now }),
    ).toEqual({
      ok: false,
      reason: 'missing-header',
    });
    expect(reasonOf(verifyWebhookSignature({ secret, body, signature, timestamp: null, now }))).toBe(
      'missing-header',
    );
    for (const bad of ['sha256=abc', `v2=${signature.slice(3)}`, signature.slice(0, -2), 'v1=']) {
      expect(
        reasonOf(verifyWebhookSignature({ secret, body, signature: bad, timestamp: String(ts), now })),
      ).toBe('malformed');
    }
    expect(reasonOf(verifyWebhookSignature({ secret, body, signature, timestamp: '12e3', now }))).toBe(
      'malformed',
    );
  });
});
