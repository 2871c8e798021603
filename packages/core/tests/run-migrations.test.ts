import { useTestDatabase } from '@bosun/testing';
import pg from 'pg';
import { afterEach, describe, expect, test } from 'vitest';
import { isBosunError } from '../src/errors/bosun-error.js';
import { runMigrations } from '../src/migrations/run-migrations.js';

describe('runMigrations', () => {
  const db = useTestDatabase({ label: 'migrations' });
  const pools: pg.Pool[] = [];
  const pool = () => {
    const p = new pg.Pool({ connectionString: db.url, max: 3 });
    pools.push(p);
    return p;
  };
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((p) => p.end()));
  });

  const migrations = [
    { name: '001-things', sql: 'CREATE TABLE things (id int PRIMARY KEY)' },
    { name: '002-seed', sql: 'INSERT INTO things VALUES (1), (2)' },
  ];

  test('five replicas migrating at once apply each migration exactly once', async () => {
    const results = await Promise.all(
      Array.from({ length: 5 }, () => runMigrations(pool(), { schema: 'svc_a', migrations })),
    );
    expect(results.flat().sort()).toEqual(['001-things', '002-seed']);
    const { rows } = await pool().query('SELECT count(*)::int AS n FROM svc_a.things');
    expect(rows[0].n).toBe(2);
  });

  test('a failing migration rolls back alone and names itself', async () => {
    const p = pool();
    const error = await runMigrations(p, {
      schema: 'svc_b',
      migrations: [...migrations, { name: '003-broken', sql: 'ALTER TABLE nope ADD COLUMN x int' }],
    }).catch((e: unknown) => e);
    expect(isBosunError(error, 'BOSUN_MIGRATION_FAILED')).toBe(true);
    expect((error as Error).message).toContain('003-broken');
    const { rows } = await p.query('SELECT name FROM svc_b.bosun_migrations ORDER BY name');
    expect(rows.map((r) => r.name)).toEqual(['001-things', '002-seed']);
  });

  test('a database ahead of the code is refused with BOSUN_MIGRATION_DRIFT', async () => {
    const p = pool();
    await runMigrations(p, { schema: 'svc_c', migrations });
    const error = await runMigrations(p, { schema: 'svc_c', migrations: migrations.slice(0, 1) }).catch(
      (e) => e,
    );
    expect(isBosunError(error, 'BOSUN_MIGRATION_DRIFT')).toBe(true);
    expect((error as Error).message).toContain('002-seed');
  });
});
