import { isBosunError } from '@bosun/core';
import { describe, expect, test } from 'vitest';
import { createQueue } from '../src/create-queue.js';
import { queueErrors } from '../src/queue.errors.js';
import { countRows, useQueueDatabase } from './helpers.js';

const db = useQueueDatabase('queue_bad_input');

async function codeOf(p: Promise<unknown> | (() => unknown)): Promise<string | undefined> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (error) {
    return isBosunError(error) ? error.code : `not a BosunError: ${String(error)}`;
  }
  return undefined;
}

describe('bad input', () => {
  test('invalid queue names, options and data are rejected with codes and nothing is written', async () => {
    const queue = await db.queue();
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const cases: Array<[string, () => Promise<unknown>]> = [
      ['BOSUN_QUEUE_NAME_INVALID', () => queue.send('', {})],
      ['BOSUN_QUEUE_NAME_INVALID', () => queue.send('has space', {})],
      ['BOSUN_QUEUE_NAME_INVALID', () => queue.send(42 as unknown as string, {})],
      ['BOSUN_QUEUE_NAME_INVALID', () => queue.send('ok', {}, { deadLetter: 'bad name!' })],
      ['BOSUN_QUEUE_OPTIONS_INVALID', () => queue.send('ok', {}, { retryLimit: -1 })],
      ['BOSUN_QUEUE_OPTIONS_INVALID', () => queue.send('ok', {}, { priority: 1.5 })],
      ['BOSUN_QUEUE_OPTIONS_INVALID', () => queue.send('ok', {}, { startAfter: 'not a date' })],
      ['BOSUN_QUEUE_OPTIONS_INVALID', () => queue.send('ok', {}, { expireInSeconds: 0 })],
      ['BOSUN_QUEUE_OPTIONS_INVALID', () => queue.send('ok', {}, { singletonKey: '' })],
      ['BOSUN_QUEUE_OPTIONS_INVALID', () => queue.send('ok', {}, { retyLimit: 3 } as never)],
      ['BOSUN_QUEUE_DATA_NOT_SERIALIZABLE', () => queue.send('ok', cyclic)],
      ['BOSUN_QUEUE_DATA_NOT_SERIALIZABLE', () => queue.send('ok', { n: 10n })],
      ['BOSUN_QUEUE_DATA_NOT_SERIALIZABLE', () => queue.send('ok', () => 1)],
      ['BOSUN_QUEUE_DATA_NOT_SERIALIZABLE', () => queue.sendBatch('ok', [{ data: 1 }, { data: 2n }])],
      [
        'BOSUN_QUEUE_OPTIONS_INVALID',
        () => queue.sendBatch('ok', [{ data: 1 }, { data: 2, options: { retryDelay: -5 } }]),
      ],
      ['BOSUN_QUEUE_SCHEDULE_INVALID', () => queue.schedule('ok', 'not a cron')],
      ['BOSUN_QUEUE_SCHEDULE_INVALID', () => queue.schedule('ok', '* * * * *', {}, { tz: 'Mars/Olympus' })],
      ['BOSUN_QUEUE_JOB_NOT_FOUND', () => queue.getJob('abc')],
      ['BOSUN_QUEUE_JOB_NOT_FOUND', () => queue.cancel('999999')],
      ['BOSUN_QUEUE_OPTIONS_INVALID', () => queue.work('ok', { concurrency: 0 }, () => {})],
    ];
    for (const [code, run] of cases) expect(await codeOf(run)).toBe(code);
    const pool = db.pool();
    expect(await countRows(pool, 'job')).toBe(0);
    expect((await pool.query('SELECT count(*)::int AS n FROM bosun_queue.schedule')).rows[0].n).toBe(0);
  });

  test('createQueue rejects a missing db and an unsafe schema name', async () => {
    expect(await codeOf(() => createQueue({} as never))).toBe('BOSUN_QUEUE_OPTIONS_INVALID');
    expect(await codeOf(() => createQueue({ db: db.url, schema: 'x; DROP TABLE y' }))).toBe(
      'BOSUN_QUEUE_OPTIONS_INVALID',
    );
  });

  test('send before start and after stop fail with coded errors', async () => {
    const queue = createQueue({ db: db.url });
    expect(await codeOf(queue.send('ok', {}))).toBe('BOSUN_QUEUE_NOT_STARTED');
    await queue.start();
    await queue.stop();
    expect(await codeOf(queue.send('ok', {}))).toBe('BOSUN_QUEUE_STOPPED');
  });

  test('every error code has a message telling what to do, and codes are registered once', () => {
    for (const [code, spec] of Object.entries(queueErrors.specs)) {
      expect(code).toMatch(/^BOSUN_QUEUE_[A-Z_]+$/);
      expect(spec.title.length).toBeGreaterThan(10);
    }
  });
});
