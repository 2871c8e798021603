/**
 * The write half of the transactional outbox: `publish(subject, data, { db: client })`
 * lands here and stores the event — the same envelope, headers and id a direct durable
 * publish would send — through the caller's client, inside the caller's transaction.
 * The relay (outbox-relay.ts) publishes it after COMMIT.
 *
 * Invariants:
 * - OUTBOX_COMMITS_WITH_THE_ROW: the event is one more row of the caller's transaction;
 *   it commits or rolls back with the business rows, and so does its wake-up NOTIFY.
 * - DEDUP_BY_EVENT_ID: the event id is unique in the table and becomes the bus message
 *   id (JetStream Nats-Msg-Id), so neither a repeated write nor a relay retry doubles it.
 * Not here: validation (event-bus.ts validates before writing) and publishing.
 * Hazard: the NOTIFY takes PostgreSQL's notify lock at COMMIT, which serialises commits
 * that publish; at very high outbox rates the relay's poll alone can wake it (`notify: false`).
 */
import type { DbPort } from '@bosun/core';
import { DEFAULT_OUTBOX_SCHEMA } from './outbox-migrations.js';
import { insertOutboxSql } from './sql/insert-outbox.sql.js';
import { outboxTables } from './sql/outbox-tables.js';
import type { BusHeaders } from './transport.port.js';

export interface OutboxWriterOptions {
  /** Schema holding the outbox table. Default `bosun_bus`. */
  schema?: string;
  /** Queue a NOTIFY so relays wake at commit. Default true; false relies on their poll. */
  notify?: boolean;
}

export interface OutboxEntry {
  id: string;
  source: string;
  /** The event subject (`user.created`), not the bus subject. */
  subject: string;
  /** The encoded envelope, exactly as a direct publish sends it. */
  payload: string;
  headers: BusHeaders;
}

export interface OutboxWriter {
  readonly schema: string;
  write(db: DbPort, entry: OutboxEntry): Promise<void>;
}

export function createOutboxWriter(options: OutboxWriterOptions = {}): OutboxWriter {
  const schema = options.schema ?? DEFAULT_OUTBOX_SCHEMA;
  const tables = outboxTables(schema);
  const notify = options.notify ?? true;
  const text = insertOutboxSql(tables, notify);
  return {
    schema,
    async write(db, entry) {
      const values = [entry.id, entry.source, entry.subject, entry.payload, JSON.stringify(entry.headers)];
      await db.query(text, notify ? [...values, tables.channel] : values);
    },
  };
}
