/** Deletes a job wherever it is (hot table or archive). */
import type { Tables } from './tables.js';

export function deleteJobSql(t: Tables): string {
  return `WITH h AS (DELETE FROM ${t.job} WHERE id = $1 RETURNING id),
a AS (DELETE FROM ${t.archive} WHERE id = $1 RETURNING id)
SELECT (SELECT count(*) FROM h) + (SELECT count(*) FROM a) AS deleted`;
}
