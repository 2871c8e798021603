/**
 * The users service's public shapes: operation inputs and outputs, the `user.created`
 * event, and the mapping from a `users` row. One Zod schema per shape serves REST, MCP,
 * RPC and OpenAPI alike.
 *
 * Invariant PASSWORD_NEVER_RETURNED: `User` has no password field, and `toUser` copies
 * fields by name (never spreads a row), so the hash cannot leak through an output.
 */
import { z } from 'zod';

export const UserId = z.uuid().describe('The user id (UUIDv7: ordered by creation time).');
export const Email = z.email().max(254).describe('Email address; unique, compared case-insensitively.');
export const Name = z.string().trim().min(1).max(100);
/** A password as sent by a client. Length policy is checked by the handler (USERS_WEAK_PASSWORD). */
export const Password = z.string().min(1).max(256).describe('Never logged, stored or returned.');

export const User = z.object({
  id: UserId,
  email: z.string(),
  name: z.string(),
  scopes: z.array(z.string()).describe('Scopes granted in this user’s access tokens.'),
  createdAt: z.string().describe('ISO 8601'),
  updatedAt: z.string().describe('ISO 8601'),
});
export type User = z.output<typeof User>;

export const Tokens = z.object({
  accessToken: z.string().describe('EdDSA JWT (sub, scope, exp in 15 minutes); verify with the JWKS.'),
  refreshToken: z.string().describe('Opaque, single use: refreshing returns a new one and retires this one.'),
  tokenType: z.literal('Bearer'),
  expiresIn: z.number().int().describe('Seconds until the access token expires.'),
});

/** Published after sign-up; the notifications service sends a welcome message on it. */
export const UserCreated = z.object({
  id: UserId,
  email: z.string(),
  name: z.string(),
  createdAt: z.string(),
});

/** A `users` row as handlers select it (USER_COLUMNS: no password hash). */
export interface UserRow extends Record<string, unknown> {
  id: string;
  email: string;
  name: string;
  scopes: string[];
  created_at: Date;
  updated_at: Date;
}

/** Columns a handler selects to build a `User` (no password hash). */
export const USER_COLUMNS = 'id, email, name, scopes, created_at, updated_at';

export const toUser = (row: UserRow): User => ({
  id: row.id,
  email: row.email,
  name: row.name,
  scopes: row.scopes,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
});
