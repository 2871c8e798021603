/**
 * The Ed25519 key that signs user access tokens, and its public half as a JWK for the
 * JWKS endpoint. Loaded from USERS_JWT_PRIVATE_KEY (PKCS#8 PEM or JWK JSON) on first use
 * and kept for the life of the process (one per config object).
 *
 * Invariants:
 * - DEV_KEY_ONLY_OUTSIDE_PRODUCTION: with NODE_ENV=production and no key the process does
 *   not boot (usersEnv's rule); the check here stays as a second line for configs built
 *   without that schema. Elsewhere a key is generated and a warning logged (tokens then die
 *   with the process, and replicas disagree).
 * - PRIVATE_KEY_NEVER_LEAVES: only `publicJwk` (kty, crv, x, kid, alg, use) is exposed.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { coreErrors, type Logger } from '@bosun/core';
import { calculateJwkThumbprint, type JWK } from 'jose';
import type { UsersConfig } from './users-env.js';

export interface SigningKey {
  privateKey: KeyObject;
  kid: string;
  /** The public JWK served at /.well-known/jwks.json. */
  publicJwk: JWK;
}

export const TOKEN_ALG = 'EdDSA';

const keys = new WeakMap<object, Promise<SigningKey>>();

async function fromPrivateKey(privateKey: KeyObject, kid?: string): Promise<SigningKey> {
  const { kty, crv, x } = createPublicKey(privateKey).export({ format: 'jwk' });
  const bare: JWK = { kty, crv, x };
  const id = kid ?? (await calculateJwkThumbprint(bare));
  return { privateKey, kid: id, publicJwk: { ...bare, kid: id, alg: TOKEN_ALG, use: 'sig' } };
}

async function load(config: UsersConfig, log: Logger): Promise<SigningKey> {
  const text = config.USERS_JWT_PRIVATE_KEY?.trim();
  if (text) {
    if (text.startsWith('{')) {
      const jwk = JSON.parse(text) as JWK;
      return fromPrivateKey(createPrivateKey({ key: jwk as never, format: 'jwk' }), jwk.kid);
    }
    return fromPrivateKey(createPrivateKey(text));
  }
  if (config.NODE_ENV === 'production') {
    const expected = 'an Ed25519 private key as PKCS#8 PEM or JWK JSON';
    throw coreErrors.create(
      'BOSUN_CONFIG_INVALID',
      `1 environment variable(s) are invalid or missing; set them and restart:\n  USERS_JWT_PRIVATE_KEY: missing; expected ${expected}`,
      { meta: { variables: [{ variable: 'USERS_JWT_PRIVATE_KEY', problem: 'missing', expected }] } },
    );
  }
  const { privateKey } = generateKeyPairSync('ed25519');
  const key = await fromPrivateKey(privateKey);
  log.warn(
    { kid: key.kid },
    'generated a development key for user tokens; set USERS_JWT_PRIVATE_KEY (Ed25519, PKCS#8 PEM or JWK JSON) in production — tokens signed with this key stop verifying when the process exits',
  );
  return key;
}

/** The process's signing key for `config`, loaded (or generated, in development) once. */
export function signingKey(config: UsersConfig, log: Logger): Promise<SigningKey> {
  let key = keys.get(config);
  if (!key) {
    key = load(config, log);
    keys.set(config, key);
  }
  return key;
}
