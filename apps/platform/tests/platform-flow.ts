/**
 * Test helper for the end-to-end files: the steps a person takes at the gateway (sign up,
 * log in) and what a webhook receiver checks on a welcome (the signature, with the exported
 * helper and the configured secret, and the body naming the new user).
 *
 * Also how an operator reads the delivery log: through the gateway with a token holding
 * `notifications:read`, granted in users.users.scopes (the documented way: there is no
 * operation for it).
 *
 * Not here: starting anything (each test file starts its own platform).
 */
import { randomBytes } from 'node:crypto';
import {
  ATTEMPT_HEADER,
  NOTIFICATION_ID_HEADER,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  verifyWebhookSignature,
} from '@bosun/service-notifications/webhook-signature';
import pg from 'pg';
import { expect } from 'vitest';
import type { Body, gatewayClient } from './gateway-client.js';
import type { ReceivedRequest } from './welcome-receiver.js';

type Client = ReturnType<typeof gatewayClient>;

/** 32+ characters, as production requires; the receivers verify with it. */
export const WEBHOOK_SECRET = 'e2e-webhook-secret-0123456789abcdefghij';

export interface SignedUp {
  id: string;
  email: string;
  password: string;
  name: string;
}

export const newPassword = () => `pw-${randomBytes(8).toString('hex')}-long`;

/** Signs up through the gateway's REST; the user must be created by this one call. */
export async function signUp(client: Client, email: string, name = 'Ada'): Promise<SignedUp> {
  const password = newPassword();
  const res = await client.rest('POST', '/api/users/users', { email, password, name });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body).toMatchObject({ email, name });
  return { id: res.body.id as string, email, password, name };
}

/** Logs in through the gateway's REST and returns the access token. */
export async function logIn(client: Client, user: Pick<SignedUp, 'email' | 'password'>): Promise<string> {
  const res = await client.rest('POST', '/api/users/sessions', {
    email: user.email,
    password: user.password,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.accessToken as string;
}

/** Adds `scopes` to the account of `email` (its next log-in carries them). */
export async function grantScopes(databaseUrl: string, email: string, scopes: string[]): Promise<void> {
  const sql = new pg.Client({ connectionString: databaseUrl });
  await sql.connect();
  try {
    const { rowCount } = await sql.query(
      'UPDATE users.users SET scopes = scopes || $2::text[] WHERE lower(email) = lower($1)',
      [email, scopes],
    );
    expect(rowCount).toBe(1);
  } finally {
    await sql.end();
  }
}

/** A notification and its delivery log as the gateway shows them to a holder of `notifications:read`. */
export function deliveryLog(client: Client, token: () => string) {
  const notification = async (id: string): Promise<Body> => {
    const res = await client.rest('GET', `/api/notifications/notifications/${id}`, undefined, token());
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };
  return {
    notification,
    statusOf: async (id: string) => (await notification(id)).status as string,
    /** `[attempt, outcome, statusCode]` per logged attempt. */
    attemptsOf: async (id: string) =>
      ((await notification(id)).deliveries as Body[]).map((d) => [d.attempt, d.outcome, d.statusCode]),
  };
}

/** What a receiver checks on a welcome: a valid signature over the raw body, naming `user`. Returns the notification id. */
export function expectSignedWelcome(req: ReceivedRequest, user: SignedUp, secret = WEBHOOK_SECRET): string {
  expect(req.method).toBe('POST');
  const signature = req.headers[SIGNATURE_HEADER] as string | undefined;
  const timestamp = req.headers[TIMESTAMP_HEADER] as string | undefined;
  const verdict = verifyWebhookSignature({ secret, body: req.body, signature, timestamp });
  expect(verdict).toMatchObject({ ok: true });
  // A wrong secret must not verify, or the check above proves nothing.
  expect(
    verifyWebhookSignature({ secret: `${secret}-not`, body: req.body, signature, timestamp }),
  ).toMatchObject({ ok: false, reason: 'mismatch' });
  const body = JSON.parse(req.body) as { id: string; kind: string; data: { user: Record<string, unknown> } };
  expect(body.kind).toBe('welcome');
  expect(body.data.user).toMatchObject({ id: user.id, email: user.email, name: user.name });
  expect(req.headers[NOTIFICATION_ID_HEADER]).toBe(body.id);
  expect(req.headers[ATTEMPT_HEADER]).toBeDefined();
  return body.id;
}

/**
 * Polls `read` until `done` holds (for hooks, where expect.poll is not allowed); throws
 * with the last value read when `timeoutMs` passes.
 */
export async function until<T>(
  what: string,
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (performance.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
