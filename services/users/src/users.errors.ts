/**
 * The users service's error registry: every error it returns on purpose has one of these
 * codes (or a core BOSUN_* code: validation, forbidden, config). Codes are stable and never
 * reused (CODES_ARE_STABLE, CODES_ARE_NEVER_REUSED); `docs/services/users.md` lists them and
 * tests/errors-doc.test.ts fails when the table drifts from this registry.
 *
 * Hazard: a `detail` is shown to the caller. Never put a password, a token or a hash in one
 * (SECRETS_NEVER_ECHOED).
 */
import { defineErrors } from '@bosun/core';

export const usersErrors = defineErrors('@bosun/service-users', {
  USERS_EMAIL_TAKEN: { status: 409, retryable: false, title: 'A user with this email already exists' },
  USERS_INVALID_CREDENTIALS: { status: 401, retryable: false, title: 'Wrong email or password' },
  USERS_NOT_FOUND: { status: 404, retryable: false, title: 'No such user' },
  USERS_REFRESH_TOKEN_INVALID: {
    status: 401,
    retryable: false,
    title: 'The refresh token is unknown, expired, revoked or already used',
  },
  USERS_WEAK_PASSWORD: { status: 400, retryable: false, title: 'The password does not meet the policy' },
});

export type UsersErrorCode = keyof typeof usersErrors.specs;
