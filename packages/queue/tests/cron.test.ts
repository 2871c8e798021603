import { describe, expect, test } from 'vitest';
import { countRows, useQueueDatabase, waitFor } from './helpers.js';

const db = useQueueDatabase('queue_cron');

describe('cron schedules', () => {
  test('a schedule on three replicas creates exactly one job per tick, and at most one catch-up after downtime', async () => {
    let now = new Date('2030-01-01T00:00:30Z');
    const clock = () => now;
    const options = { clock, schedulePollMs: 20 };
    const replicas = await Promise.all([db.queue(options), db.queue(options), db.queue(options)]);
    await replicas[0]!.schedule('report', '* * * * *', { kind: 'minutely' });
    const pool = db.pool();
    const jobs = () => countRows(pool, 'job', `name = 'report'`);
    const settle = () => new Promise((r) => setTimeout(r, 250)); // every replica polls ~10 times

    await settle();
    expect(await jobs()).toBe(0); // nothing for ticks before the schedule existed

    for (let minute = 1; minute <= 3; minute++) {
      now = new Date(Date.UTC(2030, 0, 1, 0, minute, 5));
      await waitFor(async () => (await jobs()) === minute, 5000, `tick ${minute}`);
      await settle();
      expect(await jobs()).toBe(minute);
    }

    now = new Date('2030-01-01T00:20:05Z'); // 17 ticks missed while "down"
    await waitFor(async () => (await jobs()) === 4, 5000, 'catch-up tick');
    await settle();
    expect(await jobs()).toBe(4);
    const { rows } = await pool.query(`SELECT data FROM bosun_queue.job WHERE name = 'report'`);
    expect(rows.every((r) => r.data.kind === 'minutely')).toBe(true);
  });

  test('a schedule survives a restart: a new instance keeps ticking from the stored last tick', async () => {
    let now = new Date('2031-05-05T10:00:10Z');
    const first = await db.queue({ clock: () => now, schedulePollMs: 20 });
    await first.schedule('nightly', '0 * * * *', null, { key: 'a' });
    await first.stop();
    now = new Date('2031-05-05T11:00:01Z');
    const second = await db.queue({ clock: () => now, schedulePollMs: 20 });
    const pool = db.pool();
    await waitFor(async () => (await countRows(pool, 'job', `name = 'nightly'`)) === 1);
    expect(
      (await second.getSchedules())
        .filter((s) => s.name === 'nightly')
        .map((s) => [s.name, s.key, s.lastTick?.toISOString()]),
    ).toEqual([['nightly', 'a', '2031-05-05T11:00:00.000Z']]);
  });

  test('unschedule stops future ticks', async () => {
    let now = new Date('2032-01-01T00:00:30Z');
    const queue = await db.queue({ clock: () => now, schedulePollMs: 20 });
    await queue.schedule('gone', '* * * * *');
    await queue.unschedule('gone');
    now = new Date('2032-01-01T00:05:00Z');
    await new Promise((r) => setTimeout(r, 200));
    expect(await countRows(db.pool(), 'job', `name = 'gone'`)).toBe(0);
  });
});
