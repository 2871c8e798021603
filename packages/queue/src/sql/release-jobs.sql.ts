/**
 * Releases claimed jobs back to the queue WITHOUT counting the attempt: used by a
 * graceful stop for jobs still running at the deadline and for claimed jobs that never
 * started (RELEASE_UNCOUNTED, part of READY_GATES_INTAKE). ATTEMPT_FENCED.
 */
import type { Statement, Tables } from './tables.js';

export function releaseJobsSql(t: Tables): Statement {
  return {
    name: `${t.prefix}release_jobs`,
    text: `UPDATE ${t.job} j
SET state = CASE WHEN j.attempt > 1 THEN 'retry' ELSE 'created' END, attempt = j.attempt - 1,
  locked_by = NULL, expire_at = NULL, started_at = NULL
FROM unnest($1::bigint[], $2::integer[]) AS c(id, attempt)
WHERE j.id = ANY($1::bigint[]) AND j.id = c.id AND j.attempt = c.attempt AND j.state = 'active'
RETURNING j.id`,
  };
}
