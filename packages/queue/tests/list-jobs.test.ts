import { isBosunError } from '@bosun/core';
import { describe, expect, test } from 'vitest';
import { useQueueDatabase, waitFor } from './helpers.js';

const db = useQueueDatabase('queue_list');

describe('listJobs', () => {
  test('pages through live and finished jobs newest first, each exactly once', async () => {
    const queue = await db.queue();
    const ids = (
      await queue.sendBatch(
        'paged',
        Array.from({ length: 25 }, (_, i) => ({ data: { i } })),
      )
    ).map(String);
    // Finish the first ten: they move to the archive, the rest stay queued.
    await queue.work('paged', { batchSize: 10, concurrency: 1, prefetch: 0 }, async () => {});
    await waitFor(async () => (await queue.stats('paged')).counts.completed >= 10);
    await queue.stop();

    const again = await db.queue();
    const seen: string[] = [];
    let before: string | undefined;
    for (let page = 0; page < 10; page++) {
      const { jobs, next } = await again.listJobs('paged', { limit: 7, before });
      seen.push(...jobs.map((j) => j.id));
      if (!next) break;
      before = next;
    }
    expect(seen).toEqual([...ids].sort((a, b) => Number(b) - Number(a)));
    const completed = await again.listJobs('paged', { state: 'completed', limit: 100 });
    expect(completed.jobs.length).toBeGreaterThanOrEqual(10);
    expect(completed.jobs.every((j) => j.state === 'completed' && j.finishedAt instanceof Date)).toBe(true);
    expect(completed.next).toBeNull();
  });

  test('a failed job shows its last error, and a dead-letter queue lists its copies', async () => {
    const queue = await db.queue();
    await queue.work('fragile', {}, async () => {
      throw new Error('always broken');
    });
    await queue.send('fragile', { x: 1 }, { retryLimit: 0, deadLetter: 'fragile-dlq' });
    await waitFor(async () => (await queue.listJobs('fragile-dlq')).jobs.length === 1);
    const [failed] = (await queue.listJobs('fragile', { state: 'failed' })).jobs;
    expect(failed?.lastError).toMatchObject({ message: 'always broken' });
    const [copy] = (await queue.listJobs('fragile-dlq')).jobs;
    expect(copy).toMatchObject({ name: 'fragile-dlq', origin: 'fragile' });
  });

  test('createdAfter and createdBefore bound the list by creation time', async () => {
    const queue = await db.queue();
    const [early] = await queue.sendBatch('timed', [{ data: { n: 1 } }]);
    await new Promise((r) => setTimeout(r, 30));
    const middle = new Date();
    await new Promise((r) => setTimeout(r, 30));
    const [late] = await queue.sendBatch('timed', [{ data: { n: 2 } }]);
    const after = await queue.listJobs('timed', { createdAfter: middle });
    expect(after.jobs.map((j) => j.id)).toEqual([late]);
    const before = await queue.listJobs('timed', { createdBefore: middle.toISOString() });
    expect(before.jobs.map((j) => j.id)).toEqual([early]);
  });

  test('queueNames lists live, archived and scheduled queues; deadLetterQueues the waiting copies', async () => {
    const queue = await db.queue();
    await queue.sendBatch('names-live', [{ data: {} }]);
    await queue.schedule('names-scheduled', '0 0 1 1 *', {});
    await queue.work('names-broken', {}, async () => {
      throw new Error('broken');
    });
    await queue.send('names-broken', {}, { retryLimit: 0, deadLetter: 'names-dlq' });
    await waitFor(async () => (await queue.stats('names-dlq')).counts.created === 1);
    const names = await queue.queueNames();
    for (const n of ['names-live', 'names-scheduled', 'names-broken', 'names-dlq'])
      expect(names, n).toContain(n);
    expect([...names].sort()).toEqual(names);
    expect(await queue.deadLetterQueues()).toContainEqual({
      name: 'names-dlq',
      origin: 'names-broken',
      waiting: 1,
    });
    const [schedule] = (await queue.getSchedules()).filter((s) => s.name === 'names-scheduled');
    expect(schedule?.nextRun?.getUTCMonth()).toBe(0);
    expect(schedule?.nextRun?.getUTCDate()).toBe(1);
    expect(schedule!.nextRun!.getTime()).toBeGreaterThan(Date.now());
  });

  test('bad paging options are coded errors', async () => {
    const queue = await db.queue();
    for (const options of [
      { limit: 0 },
      { limit: 501 },
      { state: 'done' as never },
      { before: 'abc' },
      { createdAfter: 'yesterday' },
    ]) {
      const error = await queue.listJobs('paged', options).catch((e: unknown) => e);
      expect(isBosunError(error), JSON.stringify(options)).toBe(true);
    }
  });
});
