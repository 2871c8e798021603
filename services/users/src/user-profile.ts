/**
 * Reading one user: the `User` shape for getUser, and the richer profile the MCP resource
 * `users://profile/{id}` and the `user-analysis` prompt show an agent (sessions, password
 * age). Neither includes the password hash (PASSWORD_NEVER_RETURNED).
 */
import type { DbPort } from '@bosun/core';
import { toUser, USER_COLUMNS, type User, type UserRow } from './schemas.js';
import { usersErrors } from './users.errors.js';

export async function findUser(db: DbPort, id: string): Promise<User> {
  const { rows } = await db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1`, [id]);
  if (!rows[0]) throw usersErrors.create('USERS_NOT_FOUND', `No user has id ${id}.`);
  return toUser(rows[0]);
}

export interface UserProfile extends User {
  passwordChangedAt: string;
  activeSessions: number;
  lastSessionAt: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function findProfile(db: DbPort, id: string): Promise<UserProfile> {
  // Resource and prompt arguments are not schema-checked like operation input.
  if (!UUID.test(id)) throw usersErrors.create('USERS_NOT_FOUND', 'A user id is a UUID.');
  const { rows } = await db.query<
    UserRow & { password_changed_at: Date; active_sessions: number; last_session_at: Date | null }
  >(
    `SELECT ${USER_COLUMNS}, password_changed_at,
            (SELECT count(*)::int FROM refresh_tokens t
              WHERE t.user_id = u.id AND t.used_at IS NULL AND t.revoked_at IS NULL AND t.expires_at > now())
              AS active_sessions,
            (SELECT max(created_at) FROM refresh_tokens t WHERE t.user_id = u.id) AS last_session_at
       FROM users u WHERE id = $1`,
    [id],
  );
  const row = rows[0];
  if (!row) throw usersErrors.create('USERS_NOT_FOUND', `No user has id ${id}.`);
  return {
    ...toUser(row),
    passwordChangedAt: row.password_changed_at.toISOString(),
    activeSessions: row.active_sessions,
    lastSessionAt: row.last_session_at?.toISOString() ?? null,
  };
}
