/**
 * Small helpers every users handler shares: its typed context, its database, the scrypt
 * parameters from config, and the ownership rule.
 *
 * Invariant SELF_OR_ADMIN: when the caller is a user (a verified user JWT forwarded by the
 * gateway), they may read or change only their own account unless they hold `users:admin`.
 * Calls without a user (another service, the internal network) are not restricted here:
 * the gateway is the public edge and enforces each operation's scope.
 */
import { coreErrors, type DbPort, type OperationContext } from '@bosun/core';
import type { ScryptParams } from './passwords.js';
import type { UsersConfig } from './users-env.js';

export type UsersContext = OperationContext<UsersConfig>;

export const SCOPES = {
  read: 'users:read',
  write: 'users:write',
  admin: 'users:admin',
} as const;

/** The service's pool (search_path = the `users` schema). The runtime always provides it: the service has migrations. */
export function db(ctx: UsersContext): DbPort {
  if (!ctx.db)
    throw new Error(
      'The users service runs without a database; it needs DATABASE_URL (or the embedded one).',
    );
  return ctx.db;
}

export function scryptParams(config: UsersConfig): ScryptParams {
  return { N: 2 ** config.USERS_SCRYPT_LOG_N, r: 8, p: 1 };
}

export function assertSelfOrAdmin(ctx: UsersContext, userId: string): void {
  const user = ctx.caller.user;
  if (!user || user.id === userId || user.scopes.includes(SCOPES.admin)) return;
  throw coreErrors.create(
    'BOSUN_FORBIDDEN',
    `A user may read or change only their own account; this needs the ${SCOPES.admin} scope.`,
  );
}

/** True for PostgreSQL's unique_violation on the named constraint or index. */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  const e = error as { code?: string; constraint?: string } | null;
  return e?.code === '23505' && e.constraint === constraint;
}
