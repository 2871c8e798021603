/**
 * @bosun/auth error codes: one registry (CODES_ARE_STABLE, CODES_ARE_NEVER_REUSED).
 * 401 for "who are you?" failures, 403 for "you may not". None is retryable: the same
 * token will fail the same way.
 */
import { defineErrors } from '@bosun/core';

export const authErrors = defineErrors('@bosun/auth', {
  BOSUN_AUTH_TOKEN_MISSING: {
    status: 401,
    retryable: false,
    title: 'No bearer token was sent; the caller must send `authorization: Bearer <token>`',
  },
  BOSUN_AUTH_TOKEN_INVALID: {
    status: 401,
    retryable: false,
    title: 'The token is malformed or its signature does not verify',
  },
  BOSUN_AUTH_TOKEN_EXPIRED: {
    status: 401,
    retryable: false,
    title: 'The token has expired; the caller must get a new one (check clocks if this repeats)',
  },
  BOSUN_AUTH_WRONG_AUDIENCE: {
    status: 401,
    retryable: false,
    title: 'The token was issued for another audience (service)',
  },
  BOSUN_AUTH_UNKNOWN_KEY: {
    status: 401,
    retryable: false,
    title: 'The token issuer or key id is not trusted; add its public key to the trusted keys',
  },
  BOSUN_AUTH_CALLER_NOT_ALLOWED: {
    status: 403,
    retryable: false,
    title: 'The calling service is not on the allow-list of this operation',
  },
  BOSUN_AUTH_SCOPE_MISMATCH: {
    status: 403,
    retryable: false,
    title: 'The token does not grant the operation being called',
  },
  BOSUN_AUTH_KEY_INVALID: {
    status: 500,
    retryable: false,
    title:
      'A configured key cannot be read; check SERVICE_PRIVATE_KEY or the trusted keys (PEM or JWK, Ed25519)',
  },
});

export type AuthErrorCode = keyof typeof authErrors.specs;
