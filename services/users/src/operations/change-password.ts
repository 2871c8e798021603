/**
 * changePassword — POST /users/:id/password (scope users:write; SELF_OR_ADMIN for user
 * callers): needs the current password, even from an admin, so a stolen access token alone
 * cannot take over an account.
 *
 * Invariants:
 * - PASSWORD_CHANGE_REVOKES_SESSIONS: the new hash and the revocation of every refresh token
 *   of the user are one statement; the old password stops working at once.
 * - The update is a compare-and-swap on the hash it verified, so two concurrent changes
 *   cannot both win with the same current password.
 */
import { operation } from '@bosun/core';
import { z } from 'zod';
import { assertPasswordPolicy } from '../password-policy.js';
import { hashPassword, verifyPassword } from '../passwords.js';
import { Password, UserId } from '../schemas.js';
import { usersErrors } from '../users.errors.js';
import { assertSelfOrAdmin, db, SCOPES, scryptParams, type UsersContext } from '../users-context.js';

export const changePassword = operation({
  title: 'Change a password',
  description:
    'Replaces the password of a user after checking the current one, and ends every session (refresh token) of the user.',
  input: z.object({ id: UserId, currentPassword: Password, newPassword: Password }),
  output: z.object({
    id: UserId,
    sessionsRevoked: z.number().int().describe('Refresh tokens revoked by the change.'),
  }),
  http: 'POST /users/:id/password',
  scope: SCOPES.write,
  handler: async ({ id, currentPassword, newPassword }, ctx: UsersContext) => {
    assertSelfOrAdmin(ctx, id);
    const { rows } = await db(ctx).query<{ email: string; password_hash: string }>(
      'SELECT email, password_hash FROM users WHERE id = $1',
      [id],
    );
    const row = rows[0];
    if (!row) throw usersErrors.create('USERS_NOT_FOUND', `No user has id ${id}.`);
    if (!(await verifyPassword(currentPassword, row.password_hash))) {
      throw usersErrors.create('USERS_INVALID_CREDENTIALS', 'The current password is wrong.');
    }
    assertPasswordPolicy(newPassword, { email: row.email });
    const hash = await hashPassword(newPassword, scryptParams(ctx.config));
    const result = await db(ctx).query<{ updated: number; revoked: number }>(
      `WITH changed AS (
         UPDATE users SET password_hash = $2, password_changed_at = now(), updated_at = now()
          WHERE id = $1 AND password_hash = $3 RETURNING id),
       revoked AS (
         UPDATE refresh_tokens SET revoked_at = now()
          WHERE user_id IN (SELECT id FROM changed) AND revoked_at IS NULL AND used_at IS NULL RETURNING 1)
       SELECT (SELECT count(*)::int FROM changed) AS updated, (SELECT count(*)::int FROM revoked) AS revoked`,
      [id, hash, row.password_hash],
    );
    const outcome = result.rows[0]!;
    if (outcome.updated === 0) {
      // Someone changed the password between the check and the update.
      throw usersErrors.create('USERS_INVALID_CREDENTIALS', 'The current password is wrong.');
    }
    return { id, sessionsRevoked: outcome.revoked };
  },
});
