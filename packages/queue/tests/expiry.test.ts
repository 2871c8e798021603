import { describe, expect, test } from 'vitest';
import { useQueueDatabase, waitFor } from './helpers.js';

const db = useQueueDatabase('queue_expiry');

describe('expiry', () => {
  test('an active job past expireInSeconds is failed with BOSUN_QUEUE_JOB_EXPIRED and retried', async () => {
    const queue = await db.queue({ maintenanceIntervalMs: 100 });
    const attempts: number[] = [];
    const expired: number[] = [];
    queue.on('job:expired', (e) => {
      expired.push(e.count);
    });
    const id = await queue.send('slow', {}, { expireInSeconds: 1, retryLimit: 1 });
    await queue.work('slow', {}, async (job) => {
      attempts.push(job.attempt);
      if (job.attempt === 1) await new Promise((r) => setTimeout(r, 2500)); // overruns its expiry
    });
    await waitFor(async () => (await queue.getJob(id!))?.state === 'completed');
    expect(attempts).toEqual([1, 2]);
    expect(expired.reduce((a, b) => a + b, 0)).toBe(1);
  });

  test('a claimed job whose worker vanished comes back after its expiry and is never lost', async () => {
    const pool = db.pool();
    const queue = await db.queue({ maintenanceIntervalMs: 100 });
    const id = await queue.send('orphan', {}, { expireInSeconds: 1 });
    // Simulate a worker that claimed the job and died: mark it active with a past deadline.
    await pool.query(
      `UPDATE bosun_queue.job SET state = 'active', attempt = 1, expire_at = now() - interval '1 second' WHERE id = $1`,
      [id],
    );
    const handled: number[] = [];
    await queue.work('orphan', {}, (job) => {
      handled.push(job.attempt);
    });
    await waitFor(async () => (await queue.getJob(id!))?.state === 'completed');
    expect(handled).toEqual([2]);
  });
});
