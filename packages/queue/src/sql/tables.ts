/**
 * Qualified, escaped table names for one queue schema, and prepared-statement names
 * unique to that schema. Only identifiers are interpolated into SQL, always escaped
 * (VALUES_ARE_BOUND); every value travels as a bound parameter.
 */
import { createHash } from 'node:crypto';
import { quoteIdent } from '@bosun/core';

export interface Tables {
  schema: string;
  job: string;
  archive: string;
  schedule: string;
  /** LISTEN/NOTIFY channel name (unquoted) and its quoted form for LISTEN. */
  channel: string;
  channelIdent: string;
  /** Prefix for prepared statement names: a statement name must map to one text per connection. */
  prefix: string;
}

export function tablesFor(schema: string): Tables {
  const s = quoteIdent(schema);
  const channel = `${schema}_jobs`.slice(0, 63);
  return {
    schema,
    job: `${s}.job`,
    archive: `${s}.job_archive`,
    schedule: `${s}.schedule`,
    channel,
    channelIdent: quoteIdent(channel),
    prefix: `bq_${createHash('sha1').update(schema).digest('hex').slice(0, 8)}_`,
  };
}

/** A named (prepared) query config for pg. */
export interface Statement {
  name: string;
  text: string;
}
