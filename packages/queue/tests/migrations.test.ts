import { describe, expect, test } from 'vitest';
import { queueMigrations } from '../src/migrations/index.js';
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

  test('migration files are numbered, ordered and unique', () => {
    const names = queueMigrations.map((m) => m.name);
    expect(names).toEqual([...names].sort());
    for (const name of names) expect(name).toMatch(/^\d{3}-[a-z0-9-]+$/);
    expect(new Set(names).size).toBe(names.length);
  });
});
