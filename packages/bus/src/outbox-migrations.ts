/**
 * The outbox table's forward-only migrations, applied by the runtime (or any caller)
 * with core's runMigrations into a bosun-owned schema (default `bosun_bus`), once per
 * database, shared by every service that uses that database.
 *
 * Why a bosun-owned schema and not each service's own: the table's shape belongs to the
 * relay's code, so it must move with bosun's versions, not with a service's migrations; a
 * service gets the outbox with no migration of its own; and one relay query serves every
 * service of a process. Rows carry `source` (the publishing service) so a relay only
 * publishes its own services' rows (an in-process bus must never publish another
 * process's events).
 *
 * MIGRATIONS_FORWARD_ONLY: append new entries; never edit a released one.
 */
import type { Migration } from '@bosun/core';

/** The default schema of the outbox table. */
export const DEFAULT_OUTBOX_SCHEMA = 'bosun_bus';

const migration001: Migration = {
  name: '001-outbox',
  sql: `
CREATE TABLE outbox (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  event_id text NOT NULL,
  source text NOT NULL,
  subject text NOT NULL,
  payload json NOT NULL,
  headers json NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  available_at timestamptz NOT NULL DEFAULT now(),
  attempts integer NOT NULL DEFAULT 0,
  last_error text,
  sent_at timestamptz
);
CREATE UNIQUE INDEX outbox_event_id ON outbox (event_id);
CREATE INDEX outbox_pending ON outbox (source, seq) WHERE sent_at IS NULL;
CREATE INDEX outbox_sent ON outbox (sent_at) WHERE sent_at IS NOT NULL;
`,
};

export const outboxMigrations: ReadonlyArray<Migration> = [migration001];
