/**
 * Re-queues a failed or cancelled job from the archive with its attempts reset; it keeps
 * its id. A job whose singletonKey already has a live job stays archived.
 */
import type { Tables } from './tables.js';

export function retryJobSql(t: Tables): string {
  return `WITH a AS (
  DELETE FROM ${t.archive} a WHERE a.id = $1 AND a.state IN ('failed', 'cancelled')
    AND NOT EXISTS (SELECT 1 FROM ${t.job} j WHERE j.name = a.name AND j.singleton_key = a.singleton_key)
  RETURNING *
)
INSERT INTO ${t.job} (id, name, data, priority, retry_limit, retry_delay, retry_backoff, expire_seconds,
  retention_seconds, singleton_key, dead_letter, origin, created_at, last_error, traceparent)
SELECT id, name, data, priority, retry_limit, retry_delay, retry_backoff, expire_seconds,
  retention_seconds, singleton_key, dead_letter, origin, created_at, last_error, traceparent FROM a
RETURNING id::text, name`;
}
