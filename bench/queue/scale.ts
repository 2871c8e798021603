/**
 * Fills a bosun queue database for the "scale" workload: archived (completed) jobs
 * retained and jobs scheduled in the future, written with plain SQL, then analysed.
 */
import pg from 'pg';

export async function fillScale(url: string, archived: number, future: number): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(
      `INSERT INTO bosun_queue.job_archive (id, name, data, state, priority, attempt, retry_limit, retry_delay,
         retry_backoff, expire_seconds, retention_seconds, created_at, started_at, finished_at, keep_until)
       SELECT 1000000000 + g, CASE WHEN g % 2 = 0 THEN 'bench' ELSE 'other' END, jsonb_build_object('i', g), 'completed',
         0, 1, 2, 0, false, 900, 604800, now(), now(), now(), now() + interval '7 days'
       FROM generate_series(1, $1::integer) g`,
      [archived],
    );
    await c.query(
      `INSERT INTO bosun_queue.job (name, data, run_at)
       SELECT 'bench', jsonb_build_object('future', g), now() + interval '1 day' + g * interval '1 second'
       FROM generate_series(1, $1::integer) g`,
      [future],
    );
    await c.query('VACUUM ANALYZE');
  } finally {
    await c.end();
  }
}
