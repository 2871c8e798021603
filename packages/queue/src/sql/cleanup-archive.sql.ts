/**
 * Deletes archived jobs past their retention, a bounded batch at a time with SKIP
 * LOCKED, so cleanup never blocks claiming (it never touches the hot table).
 */
import type { Tables } from './tables.js';

export function cleanupArchiveSql(t: Tables): string {
  return `DELETE FROM ${t.archive} WHERE id IN (
  SELECT id FROM ${t.archive} WHERE keep_until < now() LIMIT $1 FOR UPDATE SKIP LOCKED)`;
}
