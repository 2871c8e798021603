/** User JWT verification for the gateway: HS256 secret, EdDSA public key, JWKS URL; scopes. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isBosunError } from '@bosun/core';
import { SignJWT } from 'jose';
import { afterAll, describe, expect, test } from 'vitest';
import { generateDevKeyPair } from '../src/keys.js';
import { createUserVerifier, requireScope } from '../src/user-verifier.js';
import { importPrivateKeyForTest } from './support/sign.js';

const secret = 'a-test-secret-of-at-least-32-bytes!!';
const hs = (claims: Record<string, unknown>, exp = '5m') =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('u-1')
    .setIssuedAt()
    .setExpirationTime(exp)
    .sign(new TextEncoder().encode(secret));

const keys = await generateDevKeyPair('idp');
const ed = async (claims: Record<string, unknown>) =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: 'EdDSA', kid: keys.kid })
    .setSubject('u-2')
    .setIssuer('https://id.test')
    .setAudience('bosun')
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(await importPrivateKeyForTest(keys.privateKey));

const jwks = createServer((_req, res) => {
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ keys: [keys.publicKey] }));
});
await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
afterAll(() => new Promise<void>((resolve) => jwks.close(() => resolve())));

describe('user tokens', () => {
  test('HS256: scopes come from a space-separated `scope` claim', async () => {
    const verifier = createUserVerifier({ secret });
    const caller = await verifier.verify(`Bearer ${await hs({ scope: 'users:read users:write' })}`);
    expect(caller.user).toMatchObject({ id: 'u-1', scopes: ['users:read', 'users:write'] });
    expect(() => requireScope(caller, 'users:read')).not.toThrow();
    expect(() => requireScope(caller, 'admin')).toThrow(expect.objectContaining({ code: 'BOSUN_FORBIDDEN' }));
  });

  test('HS256: scopes from a `scopes` array; expired and forged tokens are refused', async () => {
    const verifier = createUserVerifier({ secret });
    expect((await verifier.verify(await hs({ scopes: ['a', 'b'] }))).user?.scopes).toEqual(['a', 'b']);
    const expired = await hs({}, '-1m');
    expect(isBosunError(await verifier.verify(expired).catch((e) => e), 'BOSUN_AUTH_TOKEN_EXPIRED')).toBe(
      true,
    );
    const forged = await createUserVerifier({ secret: `${secret}x` })
      .verify(await hs({}))
      .catch((e) => e);
    expect(isBosunError(forged, 'BOSUN_AUTH_TOKEN_INVALID')).toBe(true);
    expect(isBosunError(await verifier.verify(undefined).catch((e) => e), 'BOSUN_AUTH_TOKEN_MISSING')).toBe(
      true,
    );
  });

  test('EdDSA public key, with issuer and audience checked', async () => {
    const verifier = createUserVerifier({
      publicKey: keys.publicKey,
      issuer: 'https://id.test',
      audience: 'bosun',
    });
    expect((await verifier.verify(await ed({ scope: 'x' }))).user).toMatchObject({
      id: 'u-2',
      scopes: ['x'],
    });
    const other = createUserVerifier({ publicKey: keys.publicKey, audience: 'elsewhere' });
    expect(isBosunError(await other.verify(await ed({})).catch((e) => e), 'BOSUN_AUTH_WRONG_AUDIENCE')).toBe(
      true,
    );
  });

  test('JWKS URL', async () => {
    const { port } = jwks.address() as AddressInfo;
    const verifier = createUserVerifier({
      jwksUrl: `http://127.0.0.1:${port}/jwks.json`,
      issuer: 'https://id.test',
    });
    expect((await verifier.verify(await ed({ scopes: ['y'] }))).user).toMatchObject({
      id: 'u-2',
      scopes: ['y'],
    });
  });
});
