/**
 * updateUser — PATCH /users/:id (scope users:write; SELF_OR_ADMIN for user callers):
 * changes a user's name and/or email. Fields left out keep their value.
 * Invariant EMAIL_IS_UNIQUE_CASE_INSENSITIVELY: taking another user's email is USERS_EMAIL_TAKEN.
 */
import { coreErrors, operation } from '@bosun/core';
import { z } from 'zod';
import { Email, Name, toUser, USER_COLUMNS, User, UserId, type UserRow } from '../schemas.js';
import { usersErrors } from '../users.errors.js';
import { assertSelfOrAdmin, db, isUniqueViolation, SCOPES, type UsersContext } from '../users-context.js';

export const updateUser = operation({
  title: 'Update a user',
  description: 'Changes the name and/or the email of a user; omitted fields are kept.',
  // No .refine() for "at least one field": @bosun/http's OpenAPI builder cannot .omit() path
  // parameters from a refined object, so the handler checks it with the same error code.
  input: z.object({ id: UserId, name: Name.optional(), email: Email.optional() }),
  output: User,
  http: 'PATCH /users/:id',
  scope: SCOPES.write,
  handler: async ({ id, name, email }, ctx: UsersContext) => {
    if (name === undefined && email === undefined) {
      const message = 'Send at least one of name, email.';
      throw coreErrors.create('BOSUN_VALIDATION_FAILED', `Invalid input: ${message}`, {
        meta: { issues: [{ path: '', message, code: 'custom' }] },
      });
    }
    assertSelfOrAdmin(ctx, id);
    let rows: UserRow[];
    try {
      ({ rows } = await db(ctx).query<UserRow>(
        `UPDATE users SET name = coalesce($2, name), email = coalesce($3, email), updated_at = now()
          WHERE id = $1 RETURNING ${USER_COLUMNS}`,
        [id, name ?? null, email ?? null],
      ));
    } catch (error) {
      if (isUniqueViolation(error, 'users_email_key')) {
        throw usersErrors.create('USERS_EMAIL_TAKEN', 'Another user already has this email.');
      }
      throw error;
    }
    if (!rows[0]) throw usersErrors.create('USERS_NOT_FOUND', `No user has id ${id}.`);
    return toUser(rows[0]);
  },
});
