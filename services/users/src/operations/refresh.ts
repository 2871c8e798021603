/**
 * refresh — POST /sessions/refresh (public): trades a refresh token for new tokens.
 * Invariants REFRESH_IS_SINGLE_USE and REFRESH_REUSE_REVOKES_FAMILY live in sessions.ts.
 */
import { operation } from '@bosun/core';
import { z } from 'zod';
import { Tokens } from '../schemas.js';
import { rotateSession } from '../sessions.js';
import { db, type UsersContext } from '../users-context.js';

export const refresh = operation({
  title: 'Refresh a session',
  description:
    'Returns a new access token and a new refresh token; the refresh token sent is retired (single use).',
  input: z.object({ refreshToken: z.string().min(1).max(200) }),
  output: Tokens,
  http: 'POST /sessions/refresh',
  public: true,
  handler: ({ refreshToken }, ctx: UsersContext) =>
    rotateSession({ db: db(ctx), config: ctx.config, log: ctx.log }, refreshToken),
});
