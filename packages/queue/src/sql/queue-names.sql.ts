/**
 * Every queue name the database knows: live jobs, finished jobs retained in the archive,
 * and schedules. The archive can hold millions of rows, so its names are read with a
 * loose index scan over (name, state, id): one index probe per distinct name, never a
 * scan of the rows.
 */
import type { Tables } from './tables.js';

export function queueNamesSql(t: Tables): string {
  return `WITH RECURSIVE archived AS (
  (SELECT name FROM ${t.archive} ORDER BY name LIMIT 1)
  UNION ALL
  SELECT (SELECT a.name FROM ${t.archive} a WHERE a.name > archived.name ORDER BY a.name LIMIT 1)
    FROM archived WHERE archived.name IS NOT NULL
)
SELECT name FROM archived WHERE name IS NOT NULL
UNION SELECT DISTINCT name FROM ${t.job}
UNION SELECT DISTINCT name FROM ${t.schedule}
ORDER BY name`;
}

/**
 * Dead-letter queues with jobs waiting for a redrive: live jobs that carry an `origin`
 * (DEAD_LETTER_ON_LAST_FAILURE records it), grouped by queue and origin. Reads the hot
 * table only (HOT_TABLE_SMALL).
 */
export function deadLetterQueuesSql(t: Tables): string {
  return `SELECT name, origin, count(*)::integer AS waiting FROM ${t.job}
WHERE origin IS NOT NULL AND state <> 'active' GROUP BY name, origin ORDER BY name, origin`;
}
