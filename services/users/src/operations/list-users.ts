/**
 * listUsers — GET /users?limit=&after= (scope users:admin): users in creation order, with
 * keyset paging. `after` is the `nextCursor` of the previous page (the last id it held);
 * ids are UUIDv7, so id order is sign-up order.
 *
 * Invariant KEYSET_EVERY_USER_ONCE: walking pages from no cursor to `nextCursor: null`
 * returns every user that existed throughout, exactly once, whatever is inserted meanwhile
 * (no OFFSET: a page is `id > after ORDER BY id LIMIT n`).
 */
import { operation } from '@bosun/core';
import { z } from 'zod';
import { toUser, USER_COLUMNS, User, UserId, type UserRow } from '../schemas.js';
import { db, SCOPES, type UsersContext } from '../users-context.js';

export const listUsers = operation({
  title: 'List users',
  description:
    'Lists users in sign-up order, `limit` at a time; pass `nextCursor` as `after` for the next page.',
  input: z.object({
    limit: z.coerce.number().int().min(1).max(100).default(20),
    after: UserId.optional().describe('The nextCursor of the previous page.'),
  }),
  output: z.object({
    items: z.array(User),
    nextCursor: UserId.nullable().describe('Pass as `after` for the next page; null on the last page.'),
  }),
  http: 'GET /users',
  idempotent: true,
  scope: SCOPES.admin,
  handler: async ({ limit, after }, ctx: UsersContext) => {
    // One extra row says whether another page exists, without a count.
    const { rows } = await db(ctx).query<UserRow>(
      `SELECT ${USER_COLUMNS} FROM users WHERE ($1::uuid IS NULL OR id > $1::uuid) ORDER BY id LIMIT $2`,
      [after ?? null, limit + 1],
    );
    const page = rows.slice(0, limit).map(toUser);
    return { items: page, nextCursor: rows.length > limit ? page[page.length - 1]!.id : null };
  },
});
