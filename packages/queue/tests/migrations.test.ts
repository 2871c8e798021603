import { describe, expect, test } from 'vitest';
import { queueMigrations } from '../src/migrations/index.js';
import { ARCHIVE_COLUMNS } from '../src/sql/archive-columns.js';
import { useQueueDatabase, waitFor } from './helpers.js';

const db = useQueueDatabase('queue_migrations');

describe('migrations and schema option', () => {
  test('five instances starting at once on a new schema migrate it exactly once', async () => {
    const queues = await Promise.all(Array.from({ length: 5 }, () => db.queue({ schema: 'tenant_a' })));
    const { rows } = await db.pool().query('SELECT name FROM tenant_a.bosun_migrations ORDER BY name');
    expect(rows.map((r) => r.name)).toEqual(queueMigrations.map((m) => m.name));
    const id = await queues[0]!.send('in-schema', { ok: true });
    let handled = 0;
    await queues[1]!.work('in-schema', {}, () => {
      handled++;
    });
    await waitFor(() => handled === 1);
    expect((await db.pool().query('SELECT count(*)::int AS n FROM bosun_queue.job')).rows[0].n).toBe(0);
    expect(id).not.toBeNull();
  });

  test('every column the archive copies exists on both the hot table and the archive', async () => {
    const { rows } = await db
      .pool()
      .query(
        `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'bosun_queue'`,
      );
    const columns = (table: string) =>
      new Set(rows.filter((r) => r.table_name === table).map((r) => r.column_name));
    const copied = ARCHIVE_COLUMNS.split(',').map((c) => c.trim());
    expect(copied).toContain('traceparent');
    for (const column of copied) expect(columns('job_archive'), column).toContain(column);
    for (const column of copied.filter((c) => c !== 'keep_until' && c !== 'output'))
      expect(columns('job'), column).toContain(column);
  });

  test('migration files are numbered, ordered and unique', () => {
    const names = queueMigrations.map((m) => m.name);
    expect(names).toEqual([...names].sort());
    for (const name of names) expect(name).toMatch(/^\d{3}-[a-z0-9-]+$/);
    expect(new Set(names).size).toBe(names.length);
  });
});
