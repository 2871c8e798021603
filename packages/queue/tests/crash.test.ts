import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, test } from 'vitest';
import { countRows, useQueueDatabase, waitFor } from './helpers.js';

const db = useQueueDatabase('queue_crash');
const fixture = fileURLToPath(new URL('./fixtures/worker.ts', import.meta.url));
const children = new Set<ChildProcess>();

function spawnWorker(url: string): Promise<ChildProcess> {
  const child = fork(fixture, [url], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  children.add(child);
  child.on('exit', () => children.delete(child));
  return new Promise((resolve, reject) => {
    child.once('message', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`worker exited early with ${code}`)));
  });
}

afterEach(async () => {
  await Promise.all(
    [...children].map(
      (c) =>
        new Promise<void>((resolve) => {
          c.once('exit', () => resolve());
          c.kill('SIGKILL');
        }),
    ),
  );
});

describe('crash safety', () => {
  test('20,000 jobs survive workers SIGKILLed at random: all complete, none lost, duplicates only from killed workers', async () => {
    const pool = db.pool();
    await pool.query('CREATE TABLE handled (job_id bigint NOT NULL, pid integer NOT NULL)');
    const queue = await db.queue();
    const total = 20_000;
    for (let i = 0; i < total; i += 1000) {
      await queue.sendBatch(
        'crash',
        Array.from({ length: 1000 }, (_, k) => ({ data: { i: i + k }, options: { expireInSeconds: 2 } })),
      );
    }
    const workers: ChildProcess[] = await Promise.all([
      spawnWorker(db.url),
      spawnWorker(db.url),
      spawnWorker(db.url),
    ]);
    const completed = () => countRows(pool, 'job_archive', `name = 'crash' AND state = 'completed'`);
    let kills = 0;
    while (kills < 4 || ((await completed()) < total * 0.9 && kills < 12)) {
      await new Promise((r) => setTimeout(r, 300 + Math.random() * 700));
      const victim = workers.splice(Math.floor(Math.random() * workers.length), 1)[0]!;
      victim.kill('SIGKILL');
      kills++;
      workers.push(await spawnWorker(db.url));
    }
    await waitFor(async () => (await completed()) === total, 90_000, 'every job completed');
    const { rows } = await pool.query(
      'SELECT count(*)::int AS runs, count(DISTINCT job_id)::int AS distinct_jobs FROM handled',
    );
    const duplicates = rows[0].runs - rows[0].distinct_jobs;
    process.stderr.write(`[crash] ${kills} SIGKILLs, ${total} jobs, ${duplicates} duplicate runs\n`);
    expect(kills).toBeGreaterThan(0);
    expect(rows[0].distinct_jobs).toBe(total);
    expect(await countRows(pool, 'job')).toBe(0);
    expect(await countRows(pool, 'job_archive', `state <> 'completed'`)).toBe(0);
    // A killed worker can only re-run what it had started or finished but not yet recorded as
    // completed: its handler slots plus one completion batch.
    expect(duplicates).toBeLessThanOrEqual(kills * (8 + 1000));
  }, 150_000);

  test('SIGTERM drains a worker process: it exits cleanly and leaves nothing active', async () => {
    const pool = db.pool();
    await pool.query('CREATE TABLE IF NOT EXISTS handled (job_id bigint NOT NULL, pid integer NOT NULL)');
    await pool.query('TRUNCATE handled, bosun_queue.job_archive');
    const queue = await db.queue();
    await queue.sendBatch(
      'crash',
      Array.from({ length: 3000 }, (_, i) => ({ data: i })),
    );
    const child = await spawnWorker(db.url);
    await waitFor(async () => (await pool.query('SELECT count(*)::int AS n FROM handled')).rows[0].n > 100);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(await countRows(pool, 'job', `state = 'active'`)).toBe(0);
    const { rows } = await pool.query(
      'SELECT count(*)::int AS runs, count(DISTINCT job_id)::int AS distinct_jobs FROM handled',
    );
    expect(rows[0].runs).toBe(rows[0].distinct_jobs);
    const done = await countRows(pool, 'job_archive', `name = 'crash'`);
    expect(done).toBe(rows[0].distinct_jobs);
    expect(await countRows(pool, 'job', `name = 'crash'`)).toBe(3000 - done);
  }, 60_000);
});
