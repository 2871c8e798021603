/** Reads one job by id from the hot table or, once finished, from the archive. */
import type { Tables } from './tables.js';

const COLUMNS =
  'id::text, name, data, state, priority, attempt, retry_limit, retry_delay, retry_backoff, expire_seconds, ' +
  'retention_seconds, singleton_key, dead_letter, origin, created_at, started_at, progress, last_error, traceparent';

export function getJobSql(t: Tables): string {
  return `SELECT ${COLUMNS}, run_at, NULL::timestamptz AS finished_at, NULL::jsonb AS output FROM ${t.job} WHERE id = $1
UNION ALL
SELECT ${COLUMNS}, NULL::timestamptz, finished_at, output FROM ${t.archive} WHERE id = $1`;
}

/** The live job holding a singleton key, if any. */
export function getSingletonSql(t: Tables): string {
  return `SELECT id::text FROM ${t.job} WHERE name = $1 AND singleton_key = $2`;
}
