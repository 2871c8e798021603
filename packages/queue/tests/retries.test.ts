import { isBosunError } from '@bosun/core';
import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { useQueueDatabase, waitFor } from './helpers.js';

const db = useQueueDatabase('queue_retries');

describe('failures, retries and dead letters', () => {
  test('a throwing handler is retried retryLimit times, then the job fails with its error stored', async () => {
    const queue = await db.queue();
    const attempts: number[] = [];
    const id = await queue.send('flaky', {}, { retryLimit: 2 });
    await queue.work('flaky', {}, (job) => {
      attempts.push(job.attempt);
      throw Object.assign(new Error('boom'), { code: 'E_BOOM' });
    });
    await waitFor(async () => (await queue.getJob(id!))?.state === 'failed');
    const job = await queue.getJob(id!);
    expect(attempts).toEqual([1, 2, 3]);
    expect(job?.lastError).toMatchObject({ message: 'boom', code: 'E_BOOM' });
    expect(job?.lastError?.stack).toContain('boom');
  });

  test('a job that succeeds on a retry completes', async () => {
    const queue = await db.queue();
    const id = await queue.send('second-time', {}, { retryLimit: 1 });
    await queue.work('second-time', {}, (job) => {
      if (job.attempt === 1) throw new Error('first attempt fails');
      return 'ok';
    });
    await waitFor(async () => (await queue.getJob(id!))?.state === 'completed');
    expect((await queue.getJob(id!))?.output).toBe('ok');
  });

  test('retryBackoff schedules the retry in the future', async () => {
    const queue = await db.queue();
    const id = await queue.send('backoff', {}, { retryLimit: 3, retryDelay: 60, retryBackoff: true });
    await queue.work('backoff', {}, () => {
      throw new Error('later');
    });
    await waitFor(async () => (await queue.getJob(id!))?.state === 'retry');
    const job = await queue.getJob(id!);
    const delay = (job!.runAt!.getTime() - Date.now()) / 1000;
    expect(delay).toBeGreaterThan(20);
    expect(delay).toBeLessThanOrEqual(61);
  });

  test('after retryLimit is exhausted a copy goes to the deadLetter queue, and redrive gets it processed', async () => {
    const queue = await db.queue();
    let healthy = false;
    const handled: unknown[] = [];
    const dead: string[] = [];
    queue.on('job:dead-lettered', (e) => {
      dead.push(e.deadLetterId);
    });
    const id = await queue.send('payments', { amount: 5 }, { retryLimit: 1, deadLetter: 'payments-dlq' });
    await queue.work('payments', {}, (job) => {
      if (!healthy) throw new Error('downstream unavailable');
      handled.push(job.data);
    });
    await waitFor(async () => (await queue.getJob(id!))?.state === 'failed');
    await waitFor(() => dead.length === 1);
    const letter = await queue.getJob(dead[0]!);
    expect(letter).toMatchObject({ name: 'payments-dlq', data: { amount: 5 }, origin: 'payments' });
    expect(letter?.lastError?.message).toBe('downstream unavailable');
    expect((await queue.stats('payments-dlq')).counts.created).toBe(1);

    healthy = true;
    expect(await queue.redrive('payments-dlq')).toBe(1);
    await waitFor(() => handled.length === 1);
    expect(handled).toEqual([{ amount: 5 }]);
    await waitFor(async () => (await queue.getJob(dead[0]!))?.state === 'completed');
  });

  test('data failing the worker schema fails the job with BOSUN_QUEUE_DATA_INVALID and is not retried', async () => {
    const queue = await db.queue();
    const id = await queue.send('typed', { to: 42 }, { retryLimit: 5 });
    let calls = 0;
    await queue.work('typed', { schema: z.object({ to: z.string() }) }, () => {
      calls++;
    });
    await waitFor(async () => (await queue.getJob(id!))?.state === 'failed');
    const job = await queue.getJob(id!);
    expect(job?.attempt).toBe(1);
    expect(job?.lastError?.code).toBe('BOSUN_QUEUE_DATA_INVALID');
    expect(calls).toBe(0);
  });

  test('a defined schema rejects invalid data at send time and writes nothing', async () => {
    const queue = await db.queue();
    queue.define('defined', { schema: z.object({ to: z.email() }), retryLimit: 4 });
    const error = await queue.send('defined', { to: 'nope' }).catch((e) => e);
    expect(isBosunError(error, 'BOSUN_QUEUE_DATA_INVALID')).toBe(true);
    expect((await queue.stats('defined')).counts.created).toBe(0);
    const id = await queue.send('defined', { to: 'a@b.co' });
    expect(
      (await db.pool().query('SELECT retry_limit FROM bosun_queue.job WHERE id = $1', [id])).rows[0],
    ).toEqual({
      retry_limit: 4,
    });
  });

  test('a listener that throws never breaks the engine', async () => {
    const queue = await db.queue();
    queue.on('job:completed', () => {
      throw new Error('listener bug');
    });
    queue.on('job:completed', async () => {
      throw new Error('async listener bug');
    });
    const id = await queue.send('listened', {});
    await queue.work('listened', {}, () => {});
    await waitFor(async () => (await queue.getJob(id!))?.state === 'completed');
  });

  test('cancel archives a queued job; retry re-queues it and it runs', async () => {
    const queue = await db.queue();
    const id = await queue.send('cancel-me', {}, { startAfter: 3600 });
    expect(await queue.cancel(id!)).toBe(true);
    expect((await queue.getJob(id!))?.state).toBe('cancelled');
    expect(await queue.retry(id!)).toBe(true);
    await queue.work('cancel-me', {}, () => {});
    await waitFor(async () => (await queue.getJob(id!))?.state === 'completed');
    expect(await queue.deleteJob(id!)).toBe(true);
    expect(await queue.getJob(id!)).toBeNull();
  });
});
