/**
 * 003: the W3C traceparent of the context that sent a job (TRACE_RIDES_THE_JOB), kept
 * through retries, the archive, dead letters and retry(). Nullable, no default and no
 * index: adding it rewrites nothing, and the hot paths only carry it in the rows they
 * already read and write.
 */
export const migration003 = {
  name: '003-traceparent',
  sql: `
ALTER TABLE job ADD COLUMN traceparent text;
ALTER TABLE job_archive ADD COLUMN traceparent text;
`,
};
