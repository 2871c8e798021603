import { describe, expect, test } from 'vitest';
import { countRows, useQueueDatabase, waitFor } from './helpers.js';

const db = useQueueDatabase('queue_reconnect');

describe('database outages', () => {
  test('connections terminated mid-run: workers reconnect, nothing is lost, health reflects the outage', async () => {
    const queue = await db.queue({ maintenanceIntervalMs: 200 });
    const total = 5000;
    await queue.sendBatch(
      'survive',
      Array.from({ length: total }, (_, i) => ({ data: i, options: { expireInSeconds: 2 } })),
    );
    const seen = new Set<number>();
    const errors: string[] = [];
    queue.on('queue:error', (e) => {
      errors.push(e.during);
    });
    await queue.work('survive', { concurrency: 4 }, async (job) => {
      seen.add(job.data as number);
      await new Promise((r) => setTimeout(r, 1));
    });
    await waitFor(() => seen.size > 500);
    const admin = db.pool();
    let sawUnready = false;
    const watch = setInterval(() => {
      if (!queue.health().ready) sawUnready = true;
    }, 5);
    try {
      for (let round = 0; round < 3; round++) {
        await admin.query(
          'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
        );
        await new Promise((r) => setTimeout(r, 150));
      }
      const pool = db.pool();
      await waitFor(
        async () =>
          (await countRows(pool, 'job_archive', `name = 'survive' AND state = 'completed'`)) === total,
        60_000,
        'every job completed',
      );
      await waitFor(() => queue.health().ready, 10_000, 'ready again');
    } finally {
      clearInterval(watch);
    }
    expect(seen.size).toBe(total);
    expect(errors.length).toBeGreaterThan(0);
    expect(sawUnready).toBe(true);
  }, 90_000);
});
