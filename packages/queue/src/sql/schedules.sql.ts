/**
 * Cron schedule rows: upsert, delete, list, and the tick. SCHEDULE_TICK_ONCE: the tick
 * advances `last_tick` with a compare-and-set and inserts the job in the same
 * statement; replicas racing on one tick serialise on the row lock and the losers'
 * WHERE (last_tick < tick) fails on re-check, so exactly one job is created per tick.
 */
import type { Tables } from './tables.js';

export function upsertScheduleSql(t: Tables): string {
  return `INSERT INTO ${t.schedule} (name, key, cron, tz, data, options, last_tick)
VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7)
ON CONFLICT (name, key) DO UPDATE SET cron = excluded.cron, tz = excluded.tz, data = excluded.data,
  options = excluded.options, updated_at = now(),
  last_tick = CASE WHEN ${t.schedule}.cron = excluded.cron AND ${t.schedule}.tz = excluded.tz
    THEN ${t.schedule}.last_tick ELSE excluded.last_tick END`;
}

export function deleteScheduleSql(t: Tables): string {
  return `DELETE FROM ${t.schedule} WHERE name = $1 AND key = $2`;
}

export function listSchedulesSql(t: Tables): string {
  return `SELECT name, key, cron, tz, data, options, last_tick FROM ${t.schedule} ORDER BY name, key`;
}

/** $1 name, $2 key, $3 tick time, $4 cron the caller computed the tick from. */
export function tickScheduleSql(t: Tables): string {
  return `WITH s AS (
  UPDATE ${t.schedule} SET last_tick = $3
  WHERE name = $1 AND key = $2 AND cron = $4 AND (last_tick IS NULL OR last_tick < $3)
  RETURNING name, data, options
)
INSERT INTO ${t.job} (name, data, priority, retry_limit, retry_delay, retry_backoff, expire_seconds,
  retention_seconds, dead_letter)
SELECT s.name, s.data, coalesce((s.options->>'priority')::integer, 0),
  coalesce((s.options->>'retryLimit')::integer, 2), coalesce((s.options->>'retryDelay')::integer, 0),
  coalesce((s.options->>'retryBackoff')::boolean, false), coalesce((s.options->>'expireInSeconds')::integer, 900),
  coalesce((s.options->>'retentionSeconds')::integer, 604800), s.options->>'deadLetter'
FROM s
RETURNING id::text`;
}
