/** getUser — GET /users/:id (scope users:read; SELF_OR_ADMIN for user callers). */
import { operation } from '@bosun/core';
import { z } from 'zod';
import { User, UserId } from '../schemas.js';
import { findUser } from '../user-profile.js';
import { assertSelfOrAdmin, db, SCOPES, type UsersContext } from '../users-context.js';

export const getUser = operation({
  title: 'Get a user',
  description: 'Returns one user by id.',
  input: z.object({ id: UserId }),
  output: User,
  http: 'GET /users/:id',
  idempotent: true,
  scope: SCOPES.read,
  handler: async ({ id }, ctx: UsersContext) => {
    assertSelfOrAdmin(ctx, id);
    return findUser(db(ctx), id);
  },
});
