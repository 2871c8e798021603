/**
 * Test helpers: a database per test file cloned from a migrated template, and a queue
 * factory that stops every queue it made after each test (no leaked pools or timers).
 */
import { createHash } from 'node:crypto';
import { runMigrations } from '@bosun/core';
import { useTestDatabase } from '@bosun/testing';
import pg from 'pg';
import { afterEach } from 'vitest';
import { type CreateQueueOptions, createQueue, type Queue } from '../src/create-queue.js';
import { queueMigrations } from '../src/migrations/index.js';

export function useQueueDatabase(label: string) {
  const db = useTestDatabase({
    label,
    template: {
      // Named by the migrations' content: a changed migration builds a new template.
      key: `queue-${createHash('sha1').update(JSON.stringify(queueMigrations)).digest('hex').slice(0, 12)}`,
      migrate: async (url) => {
        const pool = new pg.Pool({ connectionString: url, max: 1 });
        try {
          await runMigrations(pool, { schema: 'bosun_queue', migrations: queueMigrations });
        } finally {
          await pool.end();
        }
      },
    },
  });
  const made: Queue[] = [];
  const pools: pg.Pool[] = [];
  afterEach(async () => {
    await Promise.all(made.splice(0).map((q) => q.stop({ timeoutMs: 2000 })));
    await Promise.all(pools.splice(0).map((p) => p.end()));
  });
  return {
    get url() {
      return db.url;
    },
    /** A started queue on this file's database, stopped after the test. */
    async queue(options: Partial<CreateQueueOptions> = {}): Promise<Queue> {
      const q = createQueue({ db: db.url, poolSize: 4, pollIntervalMs: 200, ...options });
      made.push(q);
      await q.start();
      return q;
    },
    pool(): pg.Pool {
      const p = new pg.Pool({ connectionString: db.url, max: 4 });
      // pool.end() resolves before sockets close; the file's DROP DATABASE ... FORCE may hit that window.
      p.on('error', () => {});
      p.on('connect', (client) => client.on('error', () => {}));
      pools.push(p);
      return p;
    },
  };
}

export function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 20_000,
  what = 'condition',
): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const tick = async () => {
      try {
        if (await check()) return resolve();
      } catch (error) {
        return reject(error);
      }
      if (Date.now() - started > timeoutMs) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(tick, 20);
    };
    void tick();
  });
}

export async function countRows(
  pool: pg.Pool,
  table: 'job' | 'job_archive',
  where = 'true',
): Promise<number> {
  const { rows } = await pool.query(`SELECT count(*)::int AS n FROM bosun_queue.${table} WHERE ${where}`);
  return rows[0].n;
}
