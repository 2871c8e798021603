/** Quoted names of the outbox table and its NOTIFY channel in one schema. */
import { quoteIdent } from '@bosun/core';

export interface OutboxTables {
  /** `"schema".outbox` */
  table: string;
  /** Channel name for pg_notify (a value) and LISTEN (quoted identifier). */
  channel: string;
  channelIdent: string;
}

export function outboxTables(schema: string): OutboxTables {
  const channel = `${schema}.outbox`;
  return { table: `${quoteIdent(schema)}.outbox`, channel, channelIdent: quoteIdent(channel) };
}
