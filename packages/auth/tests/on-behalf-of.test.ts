/**
 * USER_RIDES_IN_THE_TOKEN: the gateway's service token carries the edge surface and the user
 * under its signature; the callee's verifier turns them into caller.edge and caller.user.
 * And JWKS_REFETCH_IS_BOUNDED for the user verifier's JWKS loader.
 */
import { isBosunError } from '@bosun/core';
import { type CryptoKey, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { describe, expect, test } from 'vitest';
import { generateDevKeyPair } from '../src/keys.js';
import { createServiceSigner } from '../src/service-signer.js';
import { createServiceVerifier } from '../src/service-verifier.js';
import { createUserVerifier } from '../src/user-verifier.js';

const gatewayKeys = await generateDevKeyPair('gateway');
const user = { id: 'u-1', scopes: ['users:read'] };

const failure = (p: Promise<unknown>) =>
  p.then(
    () => 'accepted',
    (e: unknown) => (isBosunError(e) ? `${e.code} ${e.status}` : String(e)),
  );

describe('service tokens on behalf of an edge request', () => {
  const signer = createServiceSigner({ service: 'gateway', privateKey: gatewayKeys.privateKey });
  const verifier = createServiceVerifier({
    audience: 'users',
    trustedKeys: { gateway: gatewayKeys.publicKey },
  });

  test('the edge surface and the user travel signed and come out as caller.edge and caller.user', async () => {
    const token = await signer.sign({
      audience: 'users',
      scope: 'getUser',
      onBehalfOf: { edge: 'mcp', user },
    });
    await expect(verifier.verify(token, 'getUser')).resolves.toEqual({
      service: 'gateway',
      edge: 'mcp',
      user,
    });
    const anonymous = await signer.sign({ audience: 'users', scope: 'signUp', onBehalfOf: { edge: 'http' } });
    await expect(verifier.verify(anonymous, 'signUp')).resolves.toEqual({ service: 'gateway', edge: 'http' });
  });

  test('tokens for different users are never the cached token of a plain service call', async () => {
    const plain = await signer.sign({ audience: 'users', scope: 'getUser' });
    const a = await signer.sign({ audience: 'users', scope: 'getUser', onBehalfOf: { edge: 'http', user } });
    const b = await signer.sign({
      audience: 'users',
      scope: 'getUser',
      onBehalfOf: { edge: 'http', user: { id: 'u-2', scopes: [] } },
    });
    expect(new Set([plain, a, b]).size).toBe(3);
    await expect(verifier.verify(plain, 'getUser')).resolves.toEqual({ service: 'gateway' });
    expect((await verifier.verify(b, 'getUser')).user).toEqual({ id: 'u-2', scopes: [] });
  });

  test('a token whose edge or user claim is malformed is refused, not read as a service call', async () => {
    const key = await import('jose').then((j) => j.importJWK(gatewayKeys.privateKey, 'EdDSA'));
    const sign = (claims: Record<string, unknown>) =>
      new SignJWT({ scope: 'getUser', ...claims })
        .setProtectedHeader({ alg: 'EdDSA' })
        .setIssuer('gateway')
        .setAudience('users')
        .setIssuedAt()
        .setExpirationTime('60s')
        .sign(key);
    expect(await failure(verifier.verify(await sign({ edge: 'smtp' }), 'getUser'))).toBe(
      'BOSUN_AUTH_TOKEN_INVALID 401',
    );
    expect(await failure(verifier.verify(await sign({ edge: 'http', user: { id: 7 } }), 'getUser'))).toBe(
      'BOSUN_AUTH_TOKEN_INVALID 401',
    );
    expect(await failure(verifier.verify(await sign({ user }), 'getUser'))).toBe(
      'BOSUN_AUTH_TOKEN_INVALID 401',
    );
  });
});

describe('user tokens verified with a JWKS loader', () => {
  const issue = async (key: CryptoKey, kid: string) =>
    new SignJWT({ scope: 'users:read' })
      .setProtectedHeader({ alg: 'EdDSA', kid })
      .setSubject('u-1')
      .setIssuedAt()
      .setExpirationTime('60s')
      .sign(key);

  test('keys load on first use, reload for an unknown key id at most once per cooldown', async () => {
    const first = await generateKeyPair('EdDSA', { extractable: true });
    const second = await generateKeyPair('EdDSA', { extractable: true });
    let served = [{ ...(await exportJWK(first.publicKey)), kid: 'k1', alg: 'EdDSA' }];
    let loads = 0;
    let clock = 1_000_000;
    const verifier = createUserVerifier({
      loadJwks: async () => {
        loads += 1;
        return { keys: served };
      },
      jwksCooldownMs: 30_000,
      now: () => clock,
    });
    await expect(verifier.verify(await issue(first.privateKey, 'k1'))).resolves.toMatchObject({
      user: { id: 'u-1', scopes: ['users:read'] },
    });
    expect(loads).toBe(1);

    // The issuer rotated: within the cooldown the new key id is refused without a load.
    served = [{ ...(await exportJWK(second.publicKey)), kid: 'k2', alg: 'EdDSA' }];
    const rotated = await issue(second.privateKey, 'k2');
    expect(await failure(verifier.verify(rotated))).toMatch(/^BOSUN_AUTH_/);
    expect(loads).toBe(1);
    clock += 30_000;
    await expect(verifier.verify(rotated)).resolves.toMatchObject({ user: { id: 'u-1' } });
    expect(loads).toBe(2);
  });

  test('a loader that fails answers BOSUN_UNAVAILABLE, and the next token tries again', async () => {
    const pair = await generateKeyPair('EdDSA', { extractable: true });
    let up = false;
    const verifier = createUserVerifier({
      loadJwks: async () => {
        if (!up) throw new Error('users is not reachable');
        return { keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'EdDSA' }] };
      },
    });
    const token = await issue(pair.privateKey, 'k1');
    expect(await failure(verifier.verify(token))).toBe('BOSUN_UNAVAILABLE 503');
    up = true;
    await expect(verifier.verify(token)).resolves.toMatchObject({ user: { id: 'u-1' } });
  });
});
