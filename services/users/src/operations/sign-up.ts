/**
 * signUp — POST /users (public): creates a user and publishes `user.created`.
 *
 * Invariants: EMAIL_IS_UNIQUE_CASE_INSENSITIVELY (USERS_EMAIL_TAKEN), PASSWORDS_NEVER_STORED,
 * PASSWORD_NEVER_RETURNED, USER_AND_EVENT_COMMIT_TOGETHER — the INSERT and
 * `ctx.events.publish('user.created', …, { db: client })` run in one transaction, so the
 * event sits in bosun's outbox beside the row and the runtime's relay publishes it after
 * COMMIT (OUTBOX_COMMITS_WITH_THE_ROW in @bosun/bus): every user gets exactly one
 * user.created, and a failed sign-up none.
 */
import { type DbPort, operation, uuidv7 } from '@bosun/core';
import { z } from 'zod';
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
    const client = await connect(db(ctx));
    try {
      await client.query('BEGIN');
      const {
        rows: [row],
      } = await client.query<UserRow>(
        `INSERT INTO users (id, email, name, password_hash) VALUES ($1, $2, $3, $4) RETURNING ${USER_COLUMNS}`,
        [uuidv7(), email, name, passwordHash],
      );
      const user = toUser(row!);
      await ctx.events.publish(
        'user.created',
        { id: user.id, email: user.email, name: user.name, createdAt: user.createdAt },
        { db: client },
      );
      await client.query('COMMIT');
      return user;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      if (isUniqueViolation(error, 'users_email_key')) {
        throw usersErrors.create(
          'USERS_EMAIL_TAKEN',
          'A user with this email already exists; log in instead.',
        );
      }
      throw error;
    } finally {
      client.release();
    }
  },
});

interface TransactionClient extends DbPort {
  release(): void;
}

/** A client of the service's pool for one transaction (the runtime's pool is a pg Pool). */
async function connect(pool: DbPort): Promise<TransactionClient> {
  const connectable = pool as DbPort & { connect?: () => Promise<TransactionClient> };
  if (typeof connectable.connect !== 'function') {
    throw new Error('signUp needs a database pool with connect() to run its transaction.');
  }
  return connectable.connect();
}
