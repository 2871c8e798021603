import { describe, expect, test } from 'vitest';
import { countRows, useQueueDatabase, waitFor } from './helpers.js';

const db = useQueueDatabase('queue_basic');

describe('send and work', () => {
  test('a sent job is handled once and archived as completed with its output', async () => {
    const queue = await db.queue();
    const seen: unknown[] = [];
    await queue.work('basic', {}, async (job) => {
      seen.push(job.data);
      return { ok: true };
    });
    const id = await queue.send('basic', { n: 1 });
    expect(id).toMatch(/^\d+$/);
    await waitFor(async () => (await queue.getJob(id!))?.state === 'completed');
    const job = await queue.getJob(id!);
    expect(seen).toEqual([{ n: 1 }]);
    expect(job).toMatchObject({ name: 'basic', state: 'completed', attempt: 1, output: { ok: true } });
  });

  test('concurrent sends in one tick are coalesced and every caller gets its own id', async () => {
    const queue = await db.queue();
    const ids = await Promise.all(Array.from({ length: 250 }, (_, i) => queue.send('many', { i })));
    expect(new Set(ids).size).toBe(250);
    const pool = db.pool();
    const { rows } = await pool.query(`SELECT id::text, data FROM bosun_queue.job WHERE name = 'many'`);
    const byId = new Map(rows.map((r) => [r.id, r.data.i]));
    expect(ids.map((id) => byId.get(id!))).toEqual(ids.map((_, i) => i));
  });

  test('sendBatch inserts every item and the worker drains them all', async () => {
    const queue = await db.queue();
    const ids = await queue.sendBatch(
      'batch',
      Array.from({ length: 2500 }, (_, i) => ({ data: { i } })),
    );
    expect(ids.filter(Boolean)).toHaveLength(2500);
    let handled = 0;
    await queue.work('batch', { concurrency: 4 }, () => {
      handled++;
    });
    const pool = db.pool();
    await waitFor(async () => (await countRows(pool, 'job_archive', `name = 'batch'`)) === 2500);
    expect(handled).toBe(2500);
    expect(await countRows(pool, 'job', `name = 'batch'`)).toBe(0);
  });

  test('a batch worker receives arrays of up to batchSize jobs', async () => {
    const queue = await db.queue();
    await queue.sendBatch(
      'arr',
      Array.from({ length: 30 }, (_, i) => ({ data: i })),
    );
    const sizes: number[] = [];
    await queue.work('arr', { batchSize: 10, concurrency: 1 }, (jobs) => {
      sizes.push((jobs as unknown[]).length);
    });
    await waitFor(() => sizes.reduce((a, b) => a + b, 0) === 30);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(10);
  });

  test('higher priority jobs are claimed first', async () => {
    const queue = await db.queue();
    await queue.send('prio', 'low', { priority: 0 });
    await queue.send('prio', 'high', { priority: 10 });
    const order: unknown[] = [];
    await queue.work('prio', { concurrency: 1, prefetch: 0 }, (job) => {
      order.push(job.data);
    });
    await waitFor(() => order.length === 2);
    expect(order).toEqual(['high', 'low']);
  });

  test('a job with startAfter is not claimed before its time', async () => {
    const queue = await db.queue();
    const id = await queue.send('later', {}, { startAfter: 3600 });
    const later = await queue.send('later', {}, { startAfter: new Date(Date.now() + 3_600_000) });
    let handled = 0;
    await queue.work('later', {}, () => {
      handled++;
    });
    await new Promise((r) => setTimeout(r, 400));
    expect(handled).toBe(0);
    expect((await queue.stats('later')).counts.scheduled).toBe(2);
    expect((await queue.getJob(id!))?.state).toBe('created');
    expect(later).not.toBeNull();
  });

  test('send inside a caller transaction commits with it, and a rollback leaves no job', async () => {
    const queue = await db.queue();
    const pool = db.pool();
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const rolled = await queue.send('tx', { a: 1 }, { db: client });
      await client.query('ROLLBACK');
      expect(await queue.getJob(rolled!)).toBeNull();
      await client.query('BEGIN');
      const kept = await queue.send('tx', { a: 2 }, { db: client });
      await client.query('COMMIT');
      const handled: unknown[] = [];
      await queue.work('tx', {}, (job) => {
        handled.push(job.data);
      });
      await waitFor(async () => (await queue.getJob(kept!))?.state === 'completed');
      expect(handled).toEqual([{ a: 2 }]);
    } finally {
      client.release();
    }
  });

  test('job.progress records progress visible through getJob', async () => {
    const queue = await db.queue();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const id = await queue.send('prog', {});
    await queue.work('prog', {}, async (job) => {
      await job.progress(50, 'half way');
      await gate;
    });
    await waitFor(async () => (await queue.getJob(id!))?.progress?.value === 50);
    expect((await queue.getJob(id!))?.progress).toEqual({ value: 50, message: 'half way' });
    release();
  });
});
