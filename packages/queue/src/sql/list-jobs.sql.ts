/**
 * One page of a queue's jobs, newest first, live and finished together, keyset-paged on
 * id (`before` = the last id of the previous page). `$2` filters by state (NULL: all);
 * `$5`/`$6` bound `created_at` (from inclusive, to exclusive; NULL: unbounded).
 * Data and output are left out: a list shows jobs, getJob() shows one in full.
 */
import type { Tables } from './tables.js';

const COLUMNS =
  'id, name, state, priority, attempt, retry_limit, singleton_key, dead_letter, origin, created_at, started_at, progress, last_error, traceparent';

export function listJobsSql(t: Tables): string {
  return `SELECT * FROM (
  (SELECT ${COLUMNS}, run_at, NULL::timestamptz AS finished_at FROM ${t.job}
    WHERE name = $1 AND ($2::text IS NULL OR state = $2) AND ($3::bigint IS NULL OR id < $3)
      AND ($5::timestamptz IS NULL OR created_at >= $5) AND ($6::timestamptz IS NULL OR created_at < $6)
    ORDER BY id DESC LIMIT $4)
  UNION ALL
  (SELECT ${COLUMNS}, NULL::timestamptz, finished_at FROM ${t.archive}
    WHERE name = $1 AND ($2::text IS NULL OR state = $2) AND ($3::bigint IS NULL OR id < $3)
      AND ($5::timestamptz IS NULL OR created_at >= $5) AND ($6::timestamptz IS NULL OR created_at < $6)
    ORDER BY id DESC LIMIT $4)
) page ORDER BY id DESC LIMIT $4`;
}
