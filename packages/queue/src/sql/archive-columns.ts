/**
 * The column list shared by every statement that moves a finished job from `job` to
 * `job_archive` (complete, fail, cancel), so the three never drift apart.
 */
export const ARCHIVE_COLUMNS =
  'id, name, data, state, priority, attempt, retry_limit, retry_delay, retry_backoff, expire_seconds, ' +
  'retention_seconds, singleton_key, dead_letter, origin, created_at, started_at, keep_until, progress, last_error, output, ' +
  'traceparent';

/** Select list matching ARCHIVE_COLUMNS from a deleted-row alias `d`. */
export function archiveSelect(state: string, lastError: string, output: string): string {
  return (
    `d.id, d.name, d.data, '${state}', d.priority, d.attempt, d.retry_limit, d.retry_delay, d.retry_backoff, ` +
    'd.expire_seconds, d.retention_seconds, d.singleton_key, d.dead_letter, d.origin, d.created_at, d.started_at, ' +
    `now() + d.retention_seconds * interval '1 second', d.progress, ${lastError}, ${output}, d.traceparent`
  );
}
