/**
 * Counts by state for one queue, plus the age of its oldest ready job. Live states come
 * from the small hot table; finished states from the archive's (name, state) index.
 */
import type { Tables } from './tables.js';

export function statsSql(t: Tables): string {
  return `SELECT CASE WHEN state <> 'active' AND run_at > now() THEN 'scheduled' ELSE state END AS state,
  count(*)::integer AS count,
  extract(epoch FROM now() - min(run_at) FILTER (WHERE state <> 'active' AND run_at <= now()))::float8 AS oldest
FROM ${t.job} WHERE name = $1 GROUP BY 1
UNION ALL
SELECT state, count(*)::integer, NULL FROM ${t.archive} WHERE name = $1 GROUP BY state`;
}

/** Live jobs by queue and state, for the queue-depth gauge. */
export function depthSql(t: Tables): string {
  return `SELECT name, state, count(*)::integer AS count FROM ${t.job} GROUP BY name, state`;
}
