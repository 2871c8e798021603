/**
 * Writes one event into the outbox through the caller's connection (inside its
 * transaction) and, with `notify`, queues a NOTIFY, which PostgreSQL delivers only at
 * COMMIT: a rolled-back transaction leaves neither row nor wake-up
 * (OUTBOX_COMMITS_WITH_THE_ROW). A repeated event id writes nothing (ON CONFLICT DO
 * NOTHING), as a repeated direct publish is de-duplicated (DEDUP_BY_EVENT_ID).
 * Values: $1 event id, $2 source, $3 subject, $4 payload (JSON text), $5 headers (JSON
 * text), and with `notify` $6 the channel.
 */
import type { OutboxTables } from './outbox-tables.js';

export function insertOutboxSql(t: OutboxTables, notify: boolean): string {
  const insert = `INSERT INTO ${t.table} (event_id, source, subject, payload, headers)
  VALUES ($1, $2, $3, $4::json, $5::json)
  ON CONFLICT (event_id) DO NOTHING`;
  if (!notify) return insert;
  return `WITH written AS (
  ${insert}
  RETURNING source
)
SELECT pg_notify($6, source) FROM written`;
}
