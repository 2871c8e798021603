/**
 * logIn — POST /sessions (public): trades an email and a password for an access token and
 * a refresh token.
 *
 * Invariant SAME_ANSWER_FOR_UNKNOWN_EMAIL: an unknown email and a wrong password answer the
 * same USERS_INVALID_CREDENTIALS with the same detail, and both run one scrypt (an unknown
 * email is verified against `dummyHash()`), so neither the answer nor its cost tells whether
 * an account exists. Brute force is the gateway's rate limit's job.
 * A hash made with older scrypt parameters is replaced after a successful log-in.
 */
import { operation } from '@bosun/core';
import { z } from 'zod';
import { dummyHash, hashPassword, needsRehash, verifyPassword } from '../passwords.js';
import { Password, Tokens } from '../schemas.js';
import { issueTokens } from '../sessions.js';
import { usersErrors } from '../users.errors.js';
import { db, scryptParams, type UsersContext } from '../users-context.js';

export const logIn = operation({
  title: 'Log in',
  description:
    'Returns an access token (EdDSA JWT, 15 minutes) and a single-use refresh token for an email and password.',
  // Not z.email(): a malformed email gets the same answer as an unknown one.
  input: z.object({ email: z.string().min(1).max(254), password: Password }),
  output: Tokens,
  http: 'POST /sessions',
  public: true,
  handler: async ({ email, password }, ctx: UsersContext) => {
    const params = scryptParams(ctx.config);
    const { rows } = await db(ctx).query<{ id: string; scopes: string[]; password_hash: string }>(
      'SELECT id, scopes, password_hash FROM users WHERE lower(email) = lower($1)',
      [email],
    );
    const row = rows[0];
    const ok = await verifyPassword(password, row?.password_hash ?? (await dummyHash(params)));
    if (!row || !ok)
      throw usersErrors.create('USERS_INVALID_CREDENTIALS', 'The email or the password is wrong.');
    if (needsRehash(row.password_hash, params)) {
      await db(ctx).query('UPDATE users SET password_hash = $2 WHERE id = $1 AND password_hash = $3', [
        row.id,
        await hashPassword(password, params),
        row.password_hash,
      ]);
    }
    return issueTokens({ db: db(ctx), config: ctx.config, log: ctx.log }, row);
  },
});
