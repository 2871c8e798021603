/**
 * Moves every queued job of a dead-letter queue back to the queue it came from (its
 * `origin`), with attempts reset; the dead-letter queue stays its deadLetter, so a job
 * that fails again returns there. Active dead-letter jobs are left alone.
 */
import type { Tables } from './tables.js';

export function redriveSql(t: Tables): string {
  return `UPDATE ${t.job}
SET name = origin, dead_letter = name, origin = NULL, attempt = 0, state = 'created', run_at = now()
WHERE name = $1 AND origin IS NOT NULL AND state <> 'active'
RETURNING id::text, name`;
}
