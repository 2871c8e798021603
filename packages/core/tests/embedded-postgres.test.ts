/**
 * The embedded PostgreSQL, for real: start, query, stop, restart with data kept, a stale
 * postmaster.pid, and a process SIGKILLed while its database runs (RECOVERS_FROM_A_CRASH).
 * Slow (initdb, several server starts), so all of it lives in this one file.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnService } from '@bosun/testing';
import pg from 'pg';
import { afterAll, describe, expect, test } from 'vitest';
import { isBosunError } from '../src/errors/bosun-error.js';
import { connectPostgres } from '../src/postgres/connect-postgres.js';
import { startEmbeddedPostgres } from '../src/postgres/embedded-postgres.js';
import { isAlive, readPid } from '../src/postgres/stale-postmaster.js';
import { captureLog } from './support/capture-log.js';

const root = mkdtempSync(join(tmpdir(), 'bosun-embedded-'));
const dataDir = join(root, 'pg');
const holder = fileURLToPath(new URL('./fixtures/hold-embedded-postgres.ts', import.meta.url));

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

async function query<T>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows as T[];
  } finally {
    await client.end();
  }
}

describe('embedded PostgreSQL', () => {
  test('starts on a free port (never 5432), keeps its data across a restart, and stops', async () => {
    const { log } = captureLog();
    const first = await startEmbeddedPostgres({ dataDir, log });
    expect(first.port).not.toBe(5432);
    expect(first.url).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
    await query(first.url, 'CREATE TABLE kept (n int); INSERT INTO kept VALUES (42)');
    await first.stop();
    await first.stop();
    expect(isAlive(first.pid)).toBe(false);

    const second = await startEmbeddedPostgres({ dataDir, log });
    try {
      expect(await query(second.url, 'SELECT n FROM kept')).toEqual([{ n: 42 }]);
      const twice = await startEmbeddedPostgres({ dataDir, log }).catch((e: unknown) => e);
      expect(isBosunError(twice, 'BOSUN_EMBEDDED_POSTGRES_FAILED')).toBe(true);
      expect((twice as Error).message).toContain('This process already runs the embedded PostgreSQL');
      expect(await query(second.url, 'SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
    } finally {
      await second.stop();
    }
  });

  test('a postmaster.pid naming a dead process is removed and start succeeds', async () => {
    const { log, lines } = captureLog();
    // A pid that is certainly not running: a finished child's.
    const dead = spawnService({ entry: holder, env: { EMBEDDED_DATA_DIR: join(root, 'unused') } });
    dead.kill('SIGKILL');
    await dead.exited;
    writeFileSync(join(dataDir, 'pgdata', 'postmaster.pid'), `${dead.pid}\n${join(dataDir, 'pgdata')}\n`);
    const db = await startEmbeddedPostgres({ dataDir, log });
    try {
      expect(await query(db.url, 'SELECT n FROM kept')).toEqual([{ n: 42 }]);
      expect(lines().some((l) => l.msg === 'removing stale postmaster.pid (its process is gone)')).toBe(true);
    } finally {
      await db.stop();
    }
  });

  test('RECOVERS_FROM_A_CRASH: after the owning process is SIGKILLed, the next start stops the orphan and reuses the data', async () => {
    const holding = spawnService({ entry: holder, env: { EMBEDDED_DATA_DIR: dataDir } });
    const line = await holding.waitForLine(/^\{"url"/, 30_000);
    const { url, pid } = JSON.parse(line) as { url: string; pid: number };
    await query(url, 'INSERT INTO kept VALUES (43)');

    // While its owner lives, the directory is refused, naming the owner.
    const { log, lines } = captureLog();
    const refused = await startEmbeddedPostgres({ dataDir, log }).catch((e: unknown) => e);
    expect(isBosunError(refused, 'BOSUN_EMBEDDED_POSTGRES_FAILED')).toBe(true);
    expect((refused as Error).message).toContain(`in use by process ${holding.pid}`);

    holding.kill('SIGKILL');
    await holding.exited;
    expect(isAlive(pid)).toBe(true);
    expect(readPid(join(dataDir, 'pgdata', 'postmaster.pid'))).toBe(pid);

    const db = await startEmbeddedPostgres({ dataDir, log });
    try {
      expect(isAlive(pid)).toBe(false);
      expect(
        lines().some((l) => l.msg === 'stopping an embedded PostgreSQL left running by a killed process'),
      ).toBe(true);
      expect(await query<{ n: number }>(db.url, 'SELECT n FROM kept ORDER BY n')).toEqual([
        { n: 42 },
        { n: 43 },
      ]);
    } finally {
      await db.stop();
    }
  });

  test('connectPostgres without a URL runs on the embedded server, checks it, and close() stops it', async () => {
    const { log } = captureLog();
    const db = await connectPostgres({ dataDir, log });
    expect(db.embedded).toBe(true);
    await db.check();
    expect((await db.pool.query('SELECT count(*)::int AS n FROM kept')).rows).toEqual([{ n: 2 }]);
    await db.close();
    await db.close();
    await expect(query(db.url, 'SELECT 1')).rejects.toThrow();
  });
});
