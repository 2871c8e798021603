/**
 * listNotifications — GET /notifications?limit=&status=&before= (scope notifications:read):
 * the most recent notifications first, with keyset paging.
 *
 * Invariant KEYSET_EVERY_NOTIFICATION_ONCE: a page is `id < before ORDER BY id DESC LIMIT n`
 * (ids are UUIDv7, so id order is creation order), never OFFSET; walking from no cursor to
 * `nextCursor: null` sees every notification that existed throughout exactly once.
 */
import { operation } from '@bosun/core';
import { z } from 'zod';
import { db, type NotificationsContext, SCOPES } from '../notifications-context.js';
import {
  NOTIFICATION_COLUMNS,
  Notification,
  NotificationId,
  type NotificationRow,
  NotificationStatus,
  toNotification,
} from '../schemas.js';

export const listNotifications = operation({
  title: 'List recent notifications',
  description:
    'Lists notifications newest first, `limit` at a time, optionally only those with `status`; pass `nextCursor` as `before` for the next page.',
  input: z.object({
    limit: z.coerce.number().int().min(1).max(100).default(20),
    status: NotificationStatus.optional(),
    before: NotificationId.optional().describe('The nextCursor of the previous page.'),
  }),
  output: z.object({
    items: z.array(Notification),
    nextCursor: NotificationId.nullable().describe(
      'Pass as `before` for the next page; null on the last page.',
    ),
  }),
  http: 'GET /notifications',
  idempotent: true,
  scope: SCOPES.read,
  handler: async ({ limit, status, before }, ctx: NotificationsContext) => {
    // One extra row says whether another page exists, without a count.
    const { rows } = await db(ctx).query<NotificationRow>(
      `SELECT ${NOTIFICATION_COLUMNS} FROM notifications
        WHERE ($1::uuid IS NULL OR id < $1::uuid) AND ($2::text IS NULL OR status = $2::text)
        ORDER BY id DESC LIMIT $3`,
      [before ?? null, status ?? null, limit + 1],
    );
    const page = rows.slice(0, limit).map(toNotification);
    return { items: page, nextCursor: rows.length > limit ? page[page.length - 1]!.id : null };
  },
});
