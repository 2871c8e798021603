/** Service-to-service JWT: what is accepted, and every way a token is refused (with its code). */
import { generateKeyPairSync } from 'node:crypto';
import { isBosunError } from '@bosun/core';
import { Registry } from 'prom-client';
import { describe, expect, test } from 'vitest';
import { generateDevKeyPair } from '../src/keys.js';
import { createServiceSigner } from '../src/service-signer.js';
import { createServiceVerifier } from '../src/service-verifier.js';

const gatewayKeys = await generateDevKeyPair('gateway');
const adminKeys = await generateDevKeyPair('admin');
const forgerKeys = await generateDevKeyPair('gateway');

const codeOf = async (p: Promise<unknown>) => {
  const e = await p.then(
    () => undefined,
    (error: unknown) => error,
  );
  return isBosunError(e) ? `${e.code} ${e.status}` : String(e);
};

describe('service tokens', () => {
  const gateway = createServiceSigner({
    service: 'gateway',
    privateKey: gatewayKeys.privateKey,
    kid: gatewayKeys.kid,
  });
  const registry = new Registry();
  const users = createServiceVerifier({
    audience: 'users',
    trustedKeys: { gateway: gatewayKeys.publicKey, admin: { keys: [adminKeys.publicKey] } },
    allow: { deleteUser: ['admin'] },
    registry,
  });

  test('a token signed by a trusted service for this audience and operation is accepted', async () => {
    const token = await gateway.sign({ audience: 'users', scope: 'getUser' });
    await expect(users.verify(token, 'getUser')).resolves.toEqual({ service: 'gateway' });
  });

  test('tokens are cached until near expiry (TOKEN_CACHE_REFRESHES_EARLY)', async () => {
    let now = Date.now();
    const signer = createServiceSigner({
      service: 'gateway',
      privateKey: gatewayKeys.privateKey,
      now: () => now,
    });
    const first = await signer.sign({ audience: 'users', scope: 'getUser' });
    expect(await signer.sign({ audience: 'users', scope: 'getUser' })).toBe(first);
    now += 50_000;
    expect(await signer.sign({ audience: 'users', scope: 'getUser' })).not.toBe(first);
  });

  test('a missing token is refused with BOSUN_AUTH_TOKEN_MISSING (401)', async () => {
    expect(await codeOf(users.verify(undefined, 'getUser'))).toBe('BOSUN_AUTH_TOKEN_MISSING 401');
  });

  test('a forged token (right issuer, wrong key) is refused with BOSUN_AUTH_TOKEN_INVALID', async () => {
    const forger = createServiceSigner({ service: 'gateway', privateKey: forgerKeys.privateKey });
    const token = await forger.sign({ audience: 'users', scope: 'getUser' });
    expect(await codeOf(users.verify(token, 'getUser'))).toBe('BOSUN_AUTH_TOKEN_INVALID 401');
    expect(await codeOf(users.verify('not.a.jwt', 'getUser'))).toBe('BOSUN_AUTH_TOKEN_INVALID 401');
  });

  test('an expired token is refused with BOSUN_AUTH_TOKEN_EXPIRED', async () => {
    const past = createServiceSigner({
      service: 'gateway',
      privateKey: gatewayKeys.privateKey,
      now: () => Date.now() - 120_000,
    });
    const token = await past.sign({ audience: 'users', scope: 'getUser' });
    expect(await codeOf(users.verify(token, 'getUser'))).toBe('BOSUN_AUTH_TOKEN_EXPIRED 401');
  });

  test('a token for another audience is refused with BOSUN_AUTH_WRONG_AUDIENCE', async () => {
    const token = await gateway.sign({ audience: 'billing', scope: 'getUser' });
    expect(await codeOf(users.verify(token, 'getUser'))).toBe('BOSUN_AUTH_WRONG_AUDIENCE 401');
  });

  test('an unknown issuer or key id is refused with BOSUN_AUTH_UNKNOWN_KEY', async () => {
    const stranger = createServiceSigner({ service: 'stranger', privateKey: forgerKeys.privateKey });
    const token = await stranger.sign({ audience: 'users', scope: 'getUser' });
    expect(await codeOf(users.verify(token, 'getUser'))).toBe('BOSUN_AUTH_UNKNOWN_KEY 401');
    const wrongKid = createServiceSigner({
      service: 'admin',
      privateKey: forgerKeys.privateKey,
      kid: 'nope',
    });
    const token2 = await wrongKid.sign({ audience: 'users', scope: 'getUser' });
    expect(await codeOf(users.verify(token2, 'getUser'))).toBe('BOSUN_AUTH_UNKNOWN_KEY 401');
  });

  test('the allow-list and the scope are enforced (403)', async () => {
    const token = await gateway.sign({ audience: 'users', scope: 'deleteUser' });
    expect(await codeOf(users.verify(token, 'deleteUser'))).toBe('BOSUN_AUTH_CALLER_NOT_ALLOWED 403');
    const admin = createServiceSigner({
      service: 'admin',
      privateKey: adminKeys.privateKey,
      kid: adminKeys.kid,
    });
    await expect(
      users.verify(await admin.sign({ audience: 'users', scope: 'deleteUser' }), 'deleteUser'),
    ).resolves.toEqual({ service: 'admin' });
    const other = await gateway.sign({ audience: 'users', scope: 'getUser' });
    expect(await codeOf(users.verify(other, 'updateUser'))).toBe('BOSUN_AUTH_SCOPE_MISMATCH 403');
  });

  test('refusals are counted by code in the metrics registry', async () => {
    const metric = await registry.getSingleMetricAsString('bosun_auth_refused_total');
    expect(metric).toMatch(
      /bosun_auth_refused_total\{kind="service",code="BOSUN_AUTH_TOKEN_MISSING",operation="getUser"\} 1/,
    );
  });

  test('PEM keys work as well as JWKs', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const signer = createServiceSigner({
      service: 'cron',
      privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    });
    const verifier = createServiceVerifier({
      audience: 'users',
      trustedKeys: { cron: publicKey.export({ type: 'spki', format: 'pem' }).toString() },
    });
    await expect(
      verifier.verify(await signer.sign({ audience: 'users', scope: 'sync' }), 'sync'),
    ).resolves.toEqual({
      service: 'cron',
    });
  });

  test('an unreadable key fails with BOSUN_AUTH_KEY_INVALID', async () => {
    const signer = createServiceSigner({ service: 'broken', privateKey: 'not a pem' });
    expect(await codeOf(signer.sign({ audience: 'users', scope: 'x' }))).toBe('BOSUN_AUTH_KEY_INVALID 500');
  });
});
