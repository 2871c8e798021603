import client from 'prom-client';
import { describe, expect, test } from 'vitest';
import { useQueueDatabase, waitFor } from './helpers.js';

const db = useQueueDatabase('queue_metrics');

describe('metrics and stats', () => {
  test('a registry receives jobs by outcome, durations, claim latency and queue depth', async () => {
    const registry = new client.Registry();
    const queue = await db.queue({ registry });
    await queue.sendBatch('metered', [{ data: 1 }, { data: 2 }]);
    await queue.send('metered-later', {}, { startAfter: 3600 });
    let n = 0;
    await queue.work('metered', {}, () => {
      n++;
    });
    await waitFor(() => n === 2);
    const text = await registry.metrics();
    expect(text).toContain('bosun_queue_jobs_total{queue="metered",outcome="completed"} 2');
    expect(text).toContain('bosun_queue_job_duration_seconds_count{queue="metered"} 2');
    expect(text).toContain('bosun_queue_claim_duration_seconds_count{queue="metered"}');
    expect(text).toContain('bosun_queue_depth{queue="metered-later",state="created"} 1');
  });

  test('stats counts jobs by state and the age of the oldest ready job', async () => {
    const queue = await db.queue();
    await queue.sendBatch('counted', [{ data: 1 }, { data: 2 }, { data: 3, options: { startAfter: 600 } }]);
    await new Promise((r) => setTimeout(r, 50));
    const stats = await queue.stats('counted');
    expect(stats.counts).toMatchObject({ created: 2, scheduled: 1, active: 0, completed: 0 });
    expect(stats.oldestQueuedSeconds).toBeGreaterThan(0);
  });
});
