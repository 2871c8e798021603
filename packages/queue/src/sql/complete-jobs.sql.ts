/**
 * Completes a batch of active jobs in one statement: deletes them from the hot table and
 * archives them (unless retentionSeconds is 0). ATTEMPT_FENCED: a row completes only
 * if it is still active in the same attempt, so a late completion from a worker whose
 * job expired and was re-claimed is a no-op. $3 is a JSON array of outputs or NULL.
 */
import { ARCHIVE_COLUMNS, archiveSelect } from './archive-columns.js';
import type { Statement, Tables } from './tables.js';

export function completeJobsSql(t: Tables): Statement {
  return {
    name: `${t.prefix}complete_jobs`,
    text: `WITH d AS (
  DELETE FROM ${t.job} j
  USING unnest($1::bigint[], $2::integer[]) WITH ORDINALITY AS c(id, attempt, i)
  WHERE j.id = ANY($1::bigint[]) AND j.id = c.id AND j.attempt = c.attempt AND j.state = 'active'
  RETURNING j.*, c.i
), a AS (
  INSERT INTO ${t.archive} (${ARCHIVE_COLUMNS})
  SELECT ${archiveSelect('completed', 'NULL', '$3::jsonb -> (d.i::integer - 1)')}
  FROM d WHERE d.retention_seconds > 0
)
SELECT count(*)::integer AS completed FROM d`,
  };
}
