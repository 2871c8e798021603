/**
 * TRACE_RIDES_THE_JOB: a job sent with a W3C traceparent keeps it on its row — handed to
 * the handler (claimed or handed off in-process), shown by getJob/listJobs, kept in the
 * archive, on the dead-letter copy and through retry(). A malformed one is refused before
 * anything is written (BAD_INPUT_WRITES_NOTHING).
 */
import { describe, expect, test } from 'vitest';
import { countRows, useQueueDatabase, waitFor } from './helpers.js';

const db = useQueueDatabase('queue_traceparent');
const TRACE = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('traceparent on job rows', () => {
  test('a job sent before its worker starts is claimed with its traceparent, which stays in the archive', async () => {
    const queue = await db.queue();
    const id = await queue.send('traced', { n: 1 }, { traceparent: TRACE });
    expect((await queue.getJob(id!))?.traceparent).toBe(TRACE);
    const seen: Array<string | null> = [];
    await queue.work('traced', {}, (job) => void seen.push(job.traceparent));
    await waitFor(async () => (await queue.getJob(id!))?.state === 'completed');
    expect(seen).toEqual([TRACE]);
    expect(await queue.getJob(id!)).toMatchObject({ state: 'completed', traceparent: TRACE });
    const { jobs } = await queue.listJobs('traced');
    expect(jobs.map((j) => j.traceparent)).toEqual([TRACE]);
  });

  test('a job handed straight to an idle local worker carries its traceparent; one sent without has none', async () => {
    const queue = await db.queue();
    const seen: Array<string | null> = [];
    await queue.work('handoff', {}, (job) => void seen.push(job.traceparent));
    await queue.send('handoff', { n: 1 }, { traceparent: TRACE });
    await waitFor(() => seen.length === 1);
    await queue.send('handoff', { n: 2 });
    await waitFor(() => seen.length === 2);
    expect(seen).toEqual([TRACE, null]);
  });

  test('the dead-letter copy and a retried job keep the traceparent', async () => {
    const queue = await db.queue();
    const id = await queue.send(
      'doomed',
      {},
      { traceparent: TRACE, retryLimit: 0, deadLetter: 'doomed-dlq' },
    );
    await queue.work('doomed', {}, () => {
      throw new Error('always');
    });
    await waitFor(async () => (await queue.getJob(id!))?.state === 'failed');
    const { jobs } = await queue.listJobs('doomed-dlq');
    expect(jobs.map((j) => j.traceparent)).toEqual([TRACE]);
    await queue.retry(id!);
    expect(await queue.getJob(id!)).toMatchObject({ traceparent: TRACE });
  });

  test('a malformed traceparent is refused with BOSUN_QUEUE_OPTIONS_INVALID and nothing is written', async () => {
    const queue = await db.queue();
    await expect(queue.send('bad-trace', {}, { traceparent: 'not-a-trace' })).rejects.toMatchObject({
      code: 'BOSUN_QUEUE_OPTIONS_INVALID',
    });
    expect(await countRows(db.pool(), 'job', "name = 'bad-trace'")).toBe(0);
  });
});
