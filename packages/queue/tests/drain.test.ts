import { describe, expect, test } from 'vitest';
import { countRows, useQueueDatabase, waitFor } from './helpers.js';

const db = useQueueDatabase('queue_drain');

describe('graceful stop (READY_GATES_INTAKE)', () => {
  test('stop claims nothing new, lets in-flight jobs finish, and leaves the rest queued', async () => {
    const queue = await db.queue();
    await queue.sendBatch(
      'drain',
      Array.from({ length: 50 }, (_, i) => ({ data: i })),
    );
    const started: number[] = [];
    const finished: number[] = [];
    await queue.work('drain', { concurrency: 3 }, async (job) => {
      started.push(job.data as number);
      await new Promise((r) => setTimeout(r, 150));
      finished.push(job.data as number);
    });
    await waitFor(() => started.length >= 3);
    await queue.stop({ timeoutMs: 5000 });
    const startedAtStop = started.length;
    expect(finished.length).toBe(startedAtStop); // every started job finished
    const pool = db.pool();
    expect(await countRows(pool, 'job_archive', `name = 'drain' AND state = 'completed'`)).toBe(
      startedAtStop,
    );
    // The rest are queued again, attempts not counted, nothing active.
    expect(await countRows(pool, 'job', `name = 'drain' AND state = 'created' AND attempt = 0`)).toBe(
      50 - startedAtStop,
    );
    expect(await countRows(pool, 'job', `state = 'active'`)).toBe(0);
  });

  test('jobs still running at the deadline are released without counting the attempt and run again elsewhere', async () => {
    const queue = await db.queue();
    const id = await queue.send('stuck', {});
    let signalled = false;
    await queue.work('stuck', {}, async (job) => {
      job.signal.addEventListener('abort', () => {
        signalled = true;
      });
      await new Promise((r) => setTimeout(r, 1500));
    });
    await waitFor(async () => (await queue.getJob(id!))?.state === 'active');
    await queue.stop({ timeoutMs: 100 });
    expect(signalled).toBe(true);
    const next = await db.queue();
    expect(await next.getJob(id!)).toMatchObject({ state: 'created', attempt: 0 });

    const attempts: number[] = [];
    await next.work('stuck', {}, (j) => {
      attempts.push(j.attempt);
    });
    await waitFor(async () => (await next.getJob(id!))?.state === 'completed');
    expect(attempts).toEqual([1]);
  });

  test('stop is idempotent and single-flight', async () => {
    const queue = await db.queue();
    const a = queue.stop();
    const b = queue.stop();
    expect(a).toBe(b);
    await a;
    expect(queue.health().ready).toBe(false);
  });
});
