/**
 * Claims up to $2 ready jobs of queue $1 for worker $3: SKIP LOCKED on the partial claim
 * index (name, priority DESC, run_at, id) WHERE state <> 'active', so claimers never
 * wait on each other. Each claim counts one attempt and sets the expiry deadline.
 * `id = ANY(ARRAY(...))` keeps the update on primary-key lookups (a join let the
 * planner pick a sequential scan of the hot table).
 */
import type { Statement, Tables } from './tables.js';

export function claimJobsSql(t: Tables): Statement {
  return {
    name: `${t.prefix}claim_jobs`,
    text: `UPDATE ${t.job} j
SET state = 'active', attempt = j.attempt + 1, started_at = now(), locked_by = $3,
  expire_at = now() + j.expire_seconds * interval '1 second'
WHERE j.id = ANY(ARRAY(
  SELECT id FROM ${t.job}
  WHERE name = $1 AND state <> 'active' AND run_at <= now()
  ORDER BY priority DESC, run_at, id
  LIMIT $2
  FOR UPDATE SKIP LOCKED
))
RETURNING j.id, j.data, j.attempt, j.retry_limit, j.priority, j.singleton_key, j.expire_seconds, j.traceparent`,
  };
}
