/**
 * Cancels a queued or active job: it moves to the archive as 'cancelled'. A handler
 * still running it finds the row gone, so its completion is a no-op (ATTEMPT_FENCED).
 */
import { ARCHIVE_COLUMNS, archiveSelect } from './archive-columns.js';
import type { Tables } from './tables.js';

export function cancelJobSql(t: Tables): string {
  return `WITH d AS (DELETE FROM ${t.job} WHERE id = $1 RETURNING *)
INSERT INTO ${t.archive} (${ARCHIVE_COLUMNS})
SELECT ${archiveSelect('cancelled', 'd.last_error', 'NULL')} FROM d
RETURNING id::text`;
}
