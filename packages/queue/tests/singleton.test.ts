import { describe, expect, test } from 'vitest';
import { createJobSender } from '../src/job-sender.js';
import { countRows, useQueueDatabase, waitFor } from './helpers.js';

const db = useQueueDatabase('queue_singleton');

describe('singletonKey', () => {
  test('100 concurrent sends with one singletonKey create exactly one job', async () => {
    const queue = await db.queue();
    const ids = await Promise.all(
      Array.from({ length: 100 }, (_, i) => queue.send('single', { i }, { singletonKey: 'k1' })),
    );
    expect(ids.filter((id) => id !== null)).toHaveLength(1);
    expect(await countRows(db.pool(), 'job', `name = 'single' AND singleton_key = 'k1'`)).toBe(1);
  });

  test('100 sends with one singletonKey from three queue instances create exactly one job', async () => {
    const queues = await Promise.all([db.queue(), db.queue(), db.queue()]);
    const ids = await Promise.all(
      Array.from({ length: 100 }, (_, i) => queues[i % 3]!.send('single3', { i }, { singletonKey: 'k' })),
    );
    expect(ids.filter((id) => id !== null)).toHaveLength(1);
    expect(await countRows(db.pool(), 'job', `name = 'single3'`)).toBe(1);
  });

  test('a duplicate send returns null and the job sender returns the live job id instead', async () => {
    const queue = await db.queue();
    const first = await queue.send('dup', {}, { singletonKey: 'x' });
    expect(await queue.send('dup', {}, { singletonKey: 'x' })).toBeNull();
    const sender = createJobSender(queue);
    expect(await sender.send('dup', {}, { singletonKey: 'x' })).toEqual({ id: first });
  });

  test('once the singleton job has finished, the key can be used again', async () => {
    const queue = await db.queue();
    const first = await queue.send('again', {}, { singletonKey: 'y' });
    await queue.work('again', {}, () => {});
    await waitFor(async () => (await queue.getJob(first!))?.state === 'completed');
    const second = await queue.send('again', {}, { singletonKey: 'y' });
    expect(second).not.toBeNull();
    expect(second).not.toBe(first);
  });
});
