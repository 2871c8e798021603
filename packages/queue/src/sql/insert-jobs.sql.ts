/**
 * Inserts a batch of jobs in one statement: rows arrive as one JSON array (one
 * JSON.stringify per batch, no per-element array escaping). Absent fields take the
 * table defaults. SINGLETON_ONE_LIVE: a row whose (name, singleton_key) already has a
 * live job is skipped (ON CONFLICT DO NOTHING) and gets no id back. RETURNING follows
 * the input order, which the sender relies on to map ids to callers.
 */
import type { Statement, Tables } from './tables.js';

export function insertJobsSql(t: Tables): Statement {
  return {
    name: `${t.prefix}insert_jobs`,
    text: `INSERT INTO ${t.job} (name, data, singleton_key, priority, run_at, retry_limit, retry_delay,
  retry_backoff, expire_seconds, retention_seconds, dead_letter)
SELECT x.n, x.d, x.k, coalesce(x.p, 0), coalesce(x.a, now() + coalesce(x.s, 0) * interval '1 second'),
  coalesce(x.rl, 2), coalesce(x.rd, 0), coalesce(x.rb, false), coalesce(x.e, 900), coalesce(x.r, 604800), x.dl
FROM jsonb_to_recordset($1::jsonb) AS x(n text, d jsonb, k text, p integer, a timestamptz, s double precision,
  rl integer, rd integer, rb boolean, e integer, r integer, dl text)
ON CONFLICT (name, singleton_key) WHERE singleton_key IS NOT NULL DO NOTHING
RETURNING id, name, singleton_key, run_at <= now() AS ready`,
  };
}
