/**
 * The users service's own environment variables (merged by the runtime with bosun's
 * PORT, DATABASE_URL, NODE_ENV, ...). Declared here, read only through `ctx.config`; the
 * process environment itself is read in config.ts alone.
 *
 * Invariant SECRETS_NEVER_PRINTED (core): a bad value is reported by name and expectation,
 * never echoed — the refinement below returns a fixed message.
 */
import { createPrivateKey } from 'node:crypto';
import { bosunEnvSchema } from '@bosun/core';
import { z } from 'zod';

/** True for an Ed25519 private key given as PKCS#8 PEM or as a JWK JSON object. */
export function isEd25519PrivateKey(text: string): boolean {
  try {
    const trimmed = text.trim();
    const key = trimmed.startsWith('{')
      ? createPrivateKey({ key: JSON.parse(trimmed) as never, format: 'jwk' })
      : createPrivateKey(trimmed);
    return key.asymmetricKeyType === 'ed25519';
  } catch {
    return false;
  }
}

export const usersEnv = z
  .object({
    /** bosun's own NODE_ENV, declared here so the production rule below can read it. */
    NODE_ENV: bosunEnvSchema.shape.NODE_ENV,
    /**
     * Ed25519 private key signing user access tokens (PKCS#8 PEM or JWK JSON). Required in
     * production; in development a key is generated (with a warning) when unset.
     */
    USERS_JWT_PRIVATE_KEY: z
      .string()
      .refine(isEd25519PrivateKey, { message: 'an Ed25519 private key as PKCS#8 PEM or JWK JSON' })
      .optional(),
    /** `iss` of user access tokens; the gateway's verifier should expect the same value. */
    USERS_JWT_ISSUER: z.string().min(1).default('bosun-users'),
    /** log2 of scrypt's N for new password hashes. 17 is OWASP's minimum (128 MiB per hash). */
    USERS_SCRYPT_LOG_N: z.coerce.number().int().min(15).max(20).default(17),
  })
  // DEV_KEY_ONLY_OUTSIDE_PRODUCTION, checked at boot: a production process without a key
  // exits 1 naming the variable (REFINEMENTS_SEE_EVERY_VARIABLE in core's config).
  .refine((env) => env.NODE_ENV !== 'production' || !!env.USERS_JWT_PRIVATE_KEY, {
    path: ['USERS_JWT_PRIVATE_KEY'],
    message: 'an Ed25519 private key as PKCS#8 PEM or JWK JSON (required when NODE_ENV=production)',
    // Listed even when other variables are wrong too (CONFIG_LISTS_EVERY_PROBLEM).
    when: () => true,
  });

/** What a users handler reads from `ctx.config` (bosun's variables it uses plus its own). */
export interface UsersConfig {
  NODE_ENV: 'development' | 'test' | 'production';
  USERS_JWT_PRIVATE_KEY?: string;
  USERS_JWT_ISSUER: string;
  USERS_SCRYPT_LOG_N: number;
}
