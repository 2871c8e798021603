/**
 * The notifications service's public shapes: operation inputs and outputs, the
 * `user.created` event as this service consumes it, and the mapping from its rows. One Zod
 * schema per shape serves REST, MCP, RPC and OpenAPI alike.
 *
 * Invariant CONSUMER_OWNS_ITS_SCHEMA: `UserCreated` is declared here, not imported from the
 * users service (services never import services). It asks only for what the welcome uses,
 * so the publisher may add fields without breaking this consumer.
 */
import { z } from 'zod';

export const CHANNELS = ['webhook', 'email'] as const;
export const Channel = z.enum(CHANNELS).describe('How the notification is delivered.');
export type Channel = z.output<typeof Channel>;

export const NotificationId = z.uuid().describe('The notification id (UUIDv7: ordered by creation time).');

export const NotificationStatus = z
  .enum(['queued', 'retrying', 'delivered', 'dead'])
  .describe('queued → (retrying →)* delivered, or dead after the last failed attempt.');

export const DeliveryAttempt = z.object({
  attempt: z.number().int().describe('1 for the first attempt; counts every attempt ever made.'),
  outcome: z
    .enum(['started', 'delivered', 'failed', 'interrupted'])
    .describe('started = in flight; interrupted = the process stopped or died during it.'),
  statusCode: z.number().int().nullable().describe('HTTP status (webhook) or SMTP reply code (email).'),
  error: z.string().nullable(),
  durationMs: z.number().int().nullable(),
  startedAt: z.string().describe('ISO 8601'),
});

export const Notification = z.object({
  id: NotificationId,
  kind: z.enum(['message', 'welcome', 'digest']),
  channel: Channel,
  target: z.string().describe('The webhook URL or the email address.'),
  subject: z.string(),
  message: z.string(),
  data: z.record(z.string(), z.unknown()),
  status: NotificationStatus,
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  createdAt: z.string().describe('ISO 8601'),
  deliveredAt: z.string().nullable().describe('ISO 8601'),
});
export type Notification = z.output<typeof Notification>;

/** `user.created` as the welcome needs it; see CONSUMER_OWNS_ITS_SCHEMA. */
export const UserCreated = z.object({
  id: z.string().min(1),
  email: z.string(),
  name: z.string(),
  createdAt: z.string(),
});

export interface NotificationRow extends Record<string, unknown> {
  id: string;
  kind: Notification['kind'];
  channel: Channel;
  target: string;
  subject: string;
  message: string;
  data: Record<string, unknown>;
  status: Notification['status'];
  attempts: number;
  last_error: string | null;
  created_at: Date;
  delivered_at: Date | null;
}

export const NOTIFICATION_COLUMNS =
  'id, kind, channel, target, subject, message, data, status, attempts, last_error, created_at, delivered_at';

export const toNotification = (row: NotificationRow): Notification => ({
  id: row.id,
  kind: row.kind,
  channel: row.channel,
  target: row.target,
  subject: row.subject,
  message: row.message,
  data: row.data,
  status: row.status,
  attempts: row.attempts,
  lastError: row.last_error,
  createdAt: row.created_at.toISOString(),
  deliveredAt: row.delivered_at?.toISOString() ?? null,
});
