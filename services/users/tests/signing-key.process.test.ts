/**
 * Where the token signing key comes from: USERS_JWT_PRIVATE_KEY (PKCS#8 PEM or JWK JSON),
 * a generated development key with a warning, a coded config error in production without
 * one (DEV_KEY_ONLY_OUTSIDE_PRODUCTION), and a bad value refused at start by name only.
 */
import { generateKeyPairSync } from 'node:crypto';
import { type ServiceProcess, spawnService, useTestDatabase } from '@bosun/testing';
import { calculateJwkThumbprint, importJWK, jwtVerify } from 'jose';
import { describe, expect, test } from 'vitest';
import { entry, httpClient, startUsers } from './users-process.js';

async function stop(proc: ServiceProcess) {
  proc.kill('SIGTERM');
  expect((await proc.exited).code).toBe(0);
}

describe('the users signing key', () => {
  const db = useTestDatabase({ label: 'users_keys' });

  test('a configured PEM key signs the tokens, and the JWKS serves its public half (kid = thumbprint)', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const { proc, api } = await startUsers(db.url, {
      USERS_JWT_PRIVATE_KEY: pem,
      USERS_JWT_ISSUER: 'test-issuer',
    });
    const http = httpClient(api);
    const password = 'pem key battery staple';
    expect(
      (await http.call('POST', '/users', { email: 'pem@example.com', password, name: 'P' })).status,
    ).toBe(200);
    const login = await http.call('POST', '/sessions', { email: 'pem@example.com', password });
    expect(login.status).toBe(200);

    const { kty, crv, x } = publicKey.export({ format: 'jwk' });
    const jwks = await http.call('GET', '/.well-known/jwks.json');
    expect(jwks.body.keys).toEqual([
      { kty, crv, x, kid: await calculateJwkThumbprint({ kty, crv, x }), alg: 'EdDSA', use: 'sig' },
    ]);
    const { payload } = await jwtVerify(login.body.accessToken, await importJWK({ kty, crv, x }, 'EdDSA'), {
      issuer: 'test-issuer',
    });
    expect(payload.sub).toMatch(/^[0-9a-f-]{36}$/);
    expect(proc.stdout).not.toContain('generated a development key');
    expect(proc.stdout).not.toContain(pem.split('\n')[1]!);
    await stop(proc);
  });

  test('in development without a key, one is generated with a warning', async () => {
    const { proc, api } = await startUsers(db.url, { NODE_ENV: 'development' });
    const jwks = await httpClient(api).call('GET', '/.well-known/jwks.json');
    expect(jwks.status).toBe(200);
    const warning = proc.logs().find((l) => String(l.msg).startsWith('generated a development key'));
    expect(warning).toMatchObject({ level: 'warn', kid: jwks.body.keys[0].kid });
    await stop(proc);
  });

  test('in production without a key, the process exits 1 at start naming USERS_JWT_PRIVATE_KEY', async () => {
    const proc = spawnService({
      entry,
      env: {
        DATABASE_URL: db.url,
        PORT: '0',
        HEALTH_PORT: '0',
        NODE_ENV: 'production',
        USERS_SCRYPT_LOG_N: '15',
      },
    });
    expect((await proc.exited).code).toBe(1);
    const output = proc.stdout + proc.stderr;
    expect(output).toContain('BOSUN_CONFIG_INVALID');
    expect(output).toContain('USERS_JWT_PRIVATE_KEY: missing');
    expect(output).not.toContain('generated a development key');
  });

  test('a value that is not an Ed25519 private key exits 1 at start, naming the variable and not the value', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const proc = spawnService({
      entry,
      env: {
        DATABASE_URL: db.url,
        PORT: '0',
        HEALTH_PORT: '0',
        USERS_JWT_PRIVATE_KEY: pem,
        USERS_SCRYPT_LOG_N: '3',
      },
    });
    expect((await proc.exited).code).toBe(1);
    const output = proc.stdout + proc.stderr;
    expect(output).toContain('BOSUN_CONFIG_INVALID');
    expect(output).toContain('USERS_JWT_PRIVATE_KEY');
    expect(output).toContain('USERS_SCRYPT_LOG_N');
    expect(output).not.toContain(pem.split('\n')[1]!);
  });
});
