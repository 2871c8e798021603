/**
 * 002: list finished jobs of a queue newest first (listJobs, keyset on id) without a
 * sort: (name, state, id) serves both the list and the per-state counts of stats(),
 * so it replaces (name, state) rather than adding a fourth archive index.
 */
export const migration002 = {
  name: '002-archive-list-index',
  sql: `
CREATE INDEX job_archive_name_state_id ON job_archive (name, state, id);
DROP INDEX job_archive_name_state;
`,
};
