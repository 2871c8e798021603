/**
 * Fails active jobs: each either goes back to 'retry' with its delay (exponential with
 * jitter when retryBackoff) or, after its last attempt or when marked no-retry, moves
 * to the archive as 'failed' and, when it has a deadLetter queue, a copy is queued there
 * (DEAD_LETTER_ON_LAST_FAILURE). ATTEMPT_FENCED like completion.
 *
 * Two inputs share the body: explicit arrays (handler failures) and the expiry sweep
 * (EXPIRED_IS_RETRIED), which selects overdue active jobs with SKIP LOCKED so any
 * number of sweepers can run at once.
 */
import { ARCHIVE_COLUMNS, archiveSelect } from './archive-columns.js';
import type { Statement, Tables } from './tables.js';

function failBody(t: Tables, input: string): string {
  return `WITH input AS (${input}),
target AS (
  SELECT j.id, input.err, (input.no_retry OR j.attempt > j.retry_limit) AS final
  FROM ${t.job} j JOIN input ON j.id = input.id AND j.attempt = input.attempt
  WHERE j.state = 'active' AND j.id IN (SELECT id FROM input)
  FOR UPDATE OF j
), retried AS (
  UPDATE ${t.job} j
  SET state = 'retry', locked_by = NULL, expire_at = NULL, last_error = target.err,
    run_at = now() + (CASE WHEN j.retry_backoff
      THEN least(86400, greatest(j.retry_delay, 1) * power(2, j.attempt - 1)) * (0.5 + random() / 2)
      ELSE j.retry_delay END) * interval '1 second'
  FROM target WHERE j.id = target.id AND NOT target.final
  RETURNING j.id, j.name, j.run_at <= now() AS ready
), d AS (
  DELETE FROM ${t.job} j USING target
  WHERE j.id = target.id AND target.final
  RETURNING j.*, target.err
), archived AS (
  INSERT INTO ${t.archive} (${ARCHIVE_COLUMNS})
  SELECT ${archiveSelect('failed', 'd.err', 'NULL')} FROM d
), letters AS (
  INSERT INTO ${t.job} (name, data, priority, retry_limit, retry_delay, retry_backoff, expire_seconds,
    retention_seconds, origin, last_error, traceparent)
  SELECT d.dead_letter, d.data, d.priority, d.retry_limit, d.retry_delay, d.retry_backoff, d.expire_seconds,
    d.retention_seconds, d.name, d.err, d.traceparent
  FROM d WHERE d.dead_letter IS NOT NULL
  RETURNING id, name
)
SELECT 'retried' AS outcome, id::text, name, ready FROM retried
UNION ALL SELECT 'failed', id::text, name, false FROM d
UNION ALL SELECT 'dead_letter', id::text, name, true FROM letters`;
}

/** $1 ids, $2 attempts, $3 JSON array of errors, $4 no-retry flags. */
export function failJobsSql(t: Tables): Statement {
  return {
    name: `${t.prefix}fail_jobs`,
    text: failBody(
      t,
      `SELECT c.id, c.attempt, $3::jsonb -> (c.i::integer - 1) AS err, c.no_retry
  FROM unnest($1::bigint[], $2::integer[], $4::boolean[]) WITH ORDINALITY AS c(id, attempt, no_retry, i)`,
    ),
  };
}

/** $1 the error JSON stored on expired jobs, $2 the most jobs to sweep. */
export function expireJobsSql(t: Tables): Statement {
  return {
    name: `${t.prefix}expire_jobs`,
    text: failBody(
      t,
      `SELECT id, attempt, $1::jsonb AS err, false AS no_retry FROM ${t.job}
  WHERE state = 'active' AND expire_at < now()
  ORDER BY expire_at LIMIT $2
  FOR UPDATE SKIP LOCKED`,
    ),
  };
}
