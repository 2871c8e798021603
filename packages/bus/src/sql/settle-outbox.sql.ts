/**
 * What the relay records after publishing a batch: rows stored by the bus are marked
 * sent; rows whose publish failed stay unsent and become due again after a backoff of
 * $2 * 2^(attempts-1) ms, capped at $3 ms, with the error kept for operators.
 */
import type { OutboxTables } from './outbox-tables.js';

export function markOutboxSentSql(t: OutboxTables): string {
  return `UPDATE ${t.table} SET sent_at = now(), last_error = NULL WHERE seq = ANY($1::bigint[])`;
}

export function releaseOutboxSql(t: OutboxTables): string {
  return `UPDATE ${t.table}
SET available_at = now() + least($2 * power(2, greatest(attempts - 1, 0)), $3) * interval '1 millisecond',
  last_error = $4
WHERE seq = ANY($1::bigint[]) AND sent_at IS NULL`;
}

/** Deletes up to $2 rows sent more than $1 ms ago (any relay may run it; it is idempotent). */
export function cleanupOutboxSql(t: OutboxTables): string {
  return `DELETE FROM ${t.table} WHERE seq = ANY(ARRAY(
  SELECT seq FROM ${t.table} WHERE sent_at < now() - $1 * interval '1 millisecond' LIMIT $2
))`;
}
