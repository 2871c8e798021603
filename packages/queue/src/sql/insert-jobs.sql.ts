/**
 * Inserts a batch of jobs in one statement: rows arrive as one JSON array (one
 * JSON.stringify per batch, no per-element array escaping). Absent fields take the
 * table defaults. SINGLETON_ONE_LIVE: a row whose (name, singleton_key) already has a
 * live job is skipped (ON CONFLICT DO NOTHING) and gets no id back. RETURNING follows
 * the input order, which the sender relies on to map ids to callers.
 *
 * IN_PROCESS_HANDOFF: a row carrying `w` (a local idle worker's id) is inserted already
 * claimed by that worker (active, attempt 1, with its expiry), so the job starts without
 * a claim round trip. It is as durable as any claimed job: if the process dies, the
 * expiry sweep retries it.
 */
import type { Statement, Tables } from './tables.js';

export function insertJobsSql(t: Tables): Statement {
  return {
    name: `${t.prefix}insert_jobs`,
    text: `INSERT INTO ${t.job} (name, data, singleton_key, priority, run_at, retry_limit, retry_delay,
  retry_backoff, expire_seconds, retention_seconds, dead_letter, state, attempt, locked_by, started_at, expire_at,
  traceparent)
SELECT x.n, x.d, x.k, coalesce(x.p, 0), coalesce(x.a, now() + coalesce(x.s, 0) * interval '1 second'),
  coalesce(x.rl, 2), coalesce(x.rd, 0), coalesce(x.rb, false), coalesce(x.e, 900), coalesce(x.r, 604800), x.dl,
  CASE WHEN x.w IS NULL THEN 'created' ELSE 'active' END, CASE WHEN x.w IS NULL THEN 0 ELSE 1 END, x.w,
  CASE WHEN x.w IS NULL THEN NULL ELSE now() END,
  CASE WHEN x.w IS NULL THEN NULL ELSE now() + coalesce(x.e, 900) * interval '1 second' END, x.tp
FROM jsonb_to_recordset($1::jsonb) AS x(n text, d jsonb, k text, p integer, a timestamptz, s double precision,
  rl integer, rd integer, rb boolean, e integer, r integer, dl text, w text, tp text)
ON CONFLICT (name, singleton_key) WHERE singleton_key IS NOT NULL DO NOTHING
RETURNING id, name, singleton_key, state = 'active' AS claimed, state <> 'active' AND run_at <= now() AS ready,
  CASE WHEN state = 'active' THEN data END AS data, attempt, retry_limit, priority,
  CASE WHEN state = 'active' THEN traceparent END AS traceparent`,
  };
}
