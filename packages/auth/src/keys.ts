/**
 * Key material: reading Ed25519 keys from config (PEM or JWK), trusted keys (one key,
 * a JWKS, or a JWKS URL), and generating a development key pair.
 *
 * Invariants:
 * - DEV_KEYS_WARN: generating a key pair always logs a warning; it is for development only.
 * - A key that cannot be read fails with BOSUN_AUTH_KEY_INVALID naming whose key it was.
 */
import type { Logger } from '@bosun/core';
import {
  type CryptoKey,
  createLocalJWKSet,
  createRemoteJWKSet,
  exportJWK,
  generateKeyPair,
  importJWK,
  importPKCS8,
  importSPKI,
  type JWK,
  type JWTVerifyGetKey,
} from 'jose';
import { authErrors } from './auth.errors.js';

export const SERVICE_ALG = 'EdDSA';

/** A PEM string or a JWK object. */
export type KeyInput = string | JWK;
/** One public key (PEM or JWK), a JWKS (`{ keys: [...] }`), or a JWKS URL. */
export type TrustedKey = KeyInput | { keys: JWK[] } | URL;

export async function importPrivateKey(input: KeyInput, owner: string): Promise<CryptoKey> {
  try {
    if (typeof input === 'string') return await importPKCS8(input.trim(), SERVICE_ALG);
    return (await importJWK(input, SERVICE_ALG)) as CryptoKey;
  } catch (cause) {
    throw authErrors.create('BOSUN_AUTH_KEY_INVALID', `The private key of "${owner}" cannot be read.`, {
      cause,
    });
  }
}

/** A verification key or key getter for jwtVerify. */
export async function importTrustedKey(
  input: TrustedKey,
  owner: string,
): Promise<CryptoKey | JWTVerifyGetKey> {
  try {
    if (input instanceof URL) return createRemoteJWKSet(input);
    if (typeof input === 'string') return await importSPKI(input.trim(), SERVICE_ALG);
    if ('keys' in input && Array.isArray(input.keys)) return createLocalJWKSet({ keys: input.keys });
    return (await importJWK(input as JWK, SERVICE_ALG)) as CryptoKey;
  } catch (cause) {
    throw authErrors.create('BOSUN_AUTH_KEY_INVALID', `The trusted key of "${owner}" cannot be read.`, {
      cause,
    });
  }
}

export interface DevKeyPair {
  privateKey: JWK;
  publicKey: JWK;
  kid: string;
}

/**
 * Generates an Ed25519 key pair for development, with a warning (DEV_KEYS_WARN).
 * Never use in production: set SERVICE_PRIVATE_KEY instead.
 */
export async function generateDevKeyPair(service: string, log?: Logger): Promise<DevKeyPair> {
  const pair = await generateKeyPair(SERVICE_ALG, { extractable: true });
  const kid = `${service}-dev-${Date.now().toString(36)}`;
  const privateKey = { ...(await exportJWK(pair.privateKey)), kid, alg: SERVICE_ALG };
  const publicKey = { ...(await exportJWK(pair.publicKey)), kid, alg: SERVICE_ALG };
  const message = `Generated a development key pair for "${service}"; set SERVICE_PRIVATE_KEY in production.`;
  if (log) log.warn({ service, kid }, message);
  else process.emitWarning(message);
  return { privateKey, publicKey, kid };
}
