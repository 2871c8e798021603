/**
 * Sessions: a refresh-token family per log-in. Each refresh retires the presented token and
 * issues the next one of the same family.
 *
 * Invariants:
 * - REFRESH_IS_SINGLE_USE: the retiring UPDATE matches only an unused, unrevoked, unexpired
 *   token, so two concurrent refreshes with one token cannot both succeed.
 * - REFRESH_REUSE_REVOKES_FAMILY: presenting an already-used token (a stolen copy, or the
 *   victim after the thief) revokes every token of its family (RFC 9700 §4.14.2).
 * - PASSWORD_CHANGE_REVOKES_SESSIONS (operations/change-password.ts): changing a password
 *   revokes every refresh token of the user in the same statement; access tokens already
 *   issued stay valid until they expire (at most 15 minutes).
 */
import { randomUUID } from 'node:crypto';
import type { DbPort, Logger } from '@bosun/core';
import { signingKey } from './signing-key.js';
import {
  ACCESS_TOKEN_TTL_SECONDS,
  hashRefreshToken,
  newRefreshToken,
  REFRESH_TOKEN_TTL_SECONDS,
  signAccessToken,
} from './tokens.js';
import { usersErrors } from './users.errors.js';
import type { UsersConfig } from './users-env.js';

export interface IssuedTokens {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

interface SessionDeps {
  db: DbPort;
  config: UsersConfig;
  log: Logger;
}

/** Issues an access token and a refresh token (a new family unless `familyId` is given). */
export async function issueTokens(
  deps: SessionDeps,
  user: { id: string; scopes: readonly string[] },
  familyId: string = randomUUID(),
): Promise<IssuedTokens> {
  const key = await signingKey(deps.config, deps.log);
  const refresh = newRefreshToken();
  await deps.db.query(
    `INSERT INTO refresh_tokens (user_id, family_id, token_hash, expires_at)
     VALUES ($1, $2, $3, now() + make_interval(secs => $4))`,
    [user.id, familyId, refresh.hash, REFRESH_TOKEN_TTL_SECONDS],
  );
  const accessToken = await signAccessToken(key, {
    userId: user.id,
    scopes: user.scopes,
    issuer: deps.config.USERS_JWT_ISSUER,
  });
  return {
    accessToken,
    refreshToken: refresh.token,
    tokenType: 'Bearer',
    expiresIn: ACCESS_TOKEN_TTL_SECONDS,
  };
}

/** Retires `token` and issues the next tokens of its family; USERS_REFRESH_TOKEN_INVALID otherwise. */
export async function rotateSession(deps: SessionDeps, token: string): Promise<IssuedTokens> {
  const hash = hashRefreshToken(token);
  const { rows } = await deps.db.query<{ user_id: string; family_id: string; scopes: string[] }>(
    `UPDATE refresh_tokens t SET used_at = now()
       FROM users u
      WHERE t.token_hash = $1 AND t.user_id = u.id
        AND t.used_at IS NULL AND t.revoked_at IS NULL AND t.expires_at > now()
      RETURNING t.user_id, t.family_id, u.scopes`,
    [hash],
  );
  const row = rows[0];
  if (row) return issueTokens(deps, { id: row.user_id, scopes: row.scopes }, row.family_id);

  // REFRESH_REUSE_REVOKES_FAMILY: a used token coming back means two holders.
  const reused = await deps.db.query<{ family_id: string; user_id: string }>(
    `UPDATE refresh_tokens SET revoked_at = now()
      WHERE family_id = (SELECT family_id FROM refresh_tokens WHERE token_hash = $1 AND used_at IS NOT NULL)
        AND revoked_at IS NULL
      RETURNING family_id, user_id`,
    [hash],
  );
  if (reused.rows[0]) {
    deps.log.warn(
      { userId: reused.rows[0].user_id, familyId: reused.rows[0].family_id },
      'a used refresh token was presented again: its session family is revoked',
    );
  }
  throw usersErrors.create(
    'USERS_REFRESH_TOKEN_INVALID',
    'Log in again: this refresh token is unknown, expired, revoked or already used.',
  );
}
