/**
 * Maps jose's verification errors to @bosun/auth codes, once, for both verifiers.
 */
import { errors } from 'jose';
import { authErrors } from './auth.errors.js';

export function mapJoseError(error: unknown, who: string) {
  if (error instanceof errors.JWTExpired) {
    return authErrors.create('BOSUN_AUTH_TOKEN_EXPIRED', `The token from ${who} has expired.`, {
      cause: error,
    });
  }
  if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'aud') {
    return authErrors.create(
      'BOSUN_AUTH_WRONG_AUDIENCE',
      `The token from ${who} was issued for another audience.`,
      {
        cause: error,
      },
    );
  }
  if (error instanceof errors.JWKSNoMatchingKey) {
    return authErrors.create(
      'BOSUN_AUTH_UNKNOWN_KEY',
      `No trusted key of ${who} matches the token's key id.`,
      {
        cause: error,
      },
    );
  }
  const reason = error instanceof Error ? error.message : String(error);
  return authErrors.create('BOSUN_AUTH_TOKEN_INVALID', `The token from ${who} does not verify: ${reason}`, {
    cause: error,
  });
}
