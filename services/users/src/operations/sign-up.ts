/**
 * signUp — POST /users (public): creates a user and publishes `user.created`.
 *
 * Invariants: EMAIL_IS_UNIQUE_CASE_INSENSITIVELY (USERS_EMAIL_TAKEN), PASSWORDS_NEVER_STORED,
 * PASSWORD_NEVER_RETURNED.
 * Hazard EVENT_AFTER_COMMIT: the event is published after the INSERT has committed, as
 * @bosun/bus asks until its transactional outbox exists. A publish that fails is logged
 * (`user.created was not published`) and the sign-up still succeeds, so such a user gets no
 * welcome. Switch to the outbox when it lands: run the INSERT and
 * `ctx.events.publish('user.created', data, { db: client })` in one transaction.
 */
import { operation } from '@bosun/core';
import { z } from 'zod';
import { uuidv7 } from '../ids.js';
import { assertPasswordPolicy } from '../password-policy.js';
import { hashPassword } from '../passwords.js';
import { Email, Name, Password, toUser, USER_COLUMNS, User, type UserRow } from '../schemas.js';
import { usersErrors } from '../users.errors.js';
import { db, isUniqueViolation, scryptParams, type UsersContext } from '../users-context.js';

export const signUp = operation({
  title: 'Sign up',
  description: 'Creates a user from an email, a password (at least 10 characters) and a name.',
  input: z.object({ email: Email, password: Password, name: Name }),
  output: User,
  http: 'POST /users',
  public: true,
  handler: async ({ email, password, name }, ctx: UsersContext) => {
    assertPasswordPolicy(password, { email });
    const passwordHash = await hashPassword(password, scryptParams(ctx.config));
    let row: UserRow | undefined;
    try {
      ({
        rows: [row],
      } = await db(ctx).query<UserRow>(
        `INSERT INTO users (id, email, name, password_hash) VALUES ($1, $2, $3, $4) RETURNING ${USER_COLUMNS}`,
        [uuidv7(), email, name, passwordHash],
      ));
    } catch (error) {
      if (isUniqueViolation(error, 'users_email_key')) {
        throw usersErrors.create(
          'USERS_EMAIL_TAKEN',
          'A user with this email already exists; log in instead.',
        );
      }
      throw error;
    }
    const user = toUser(row!);
    // TODO(outbox): publish inside the INSERT's transaction once @bosun/bus has the outbox (EVENT_AFTER_COMMIT).
    try {
      await ctx.events.publish('user.created', {
        id: user.id,
        email: user.email,
        name: user.name,
        createdAt: user.createdAt,
      });
    } catch (error) {
      ctx.log.error({ err: error, userId: user.id }, 'user.created was not published');
    }
    return user;
  },
});
