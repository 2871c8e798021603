/**
 * Leases up to $2 unsent, due rows of the sources $1 for $3 ms: SKIP LOCKED, so relays
 * in several replicas never take the same row at once, and no transaction stays open
 * while the relay talks to NATS. A relay that dies holding a lease loses it when it
 * expires; the row is then published again (same id, de-duplicated: RELAY_IS_AT_LEAST_ONCE).
 * `seq = ANY(ARRAY(...))` keeps the update on primary-key lookups.
 */
import type { OutboxTables } from './outbox-tables.js';

export function claimOutboxSql(t: OutboxTables): string {
  return `UPDATE ${t.table} o
SET available_at = now() + $3 * interval '1 millisecond', attempts = o.attempts + 1
WHERE o.seq = ANY(ARRAY(
  SELECT seq FROM ${t.table}
  WHERE sent_at IS NULL AND source = ANY($1::text[]) AND available_at <= now()
  ORDER BY seq
  LIMIT $2
  FOR UPDATE SKIP LOCKED
))
RETURNING o.seq::text AS seq, o.event_id, o.subject, o.payload::text AS payload, o.headers, o.attempts`;
}
