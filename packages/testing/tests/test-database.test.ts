import pg from 'pg';
import { describe, expect, test } from 'vitest';
import { createTestDatabase, useTestDatabase } from '../src/index.js';

describe('useTestDatabase', () => {
  const db = useTestDatabase({ label: 'testing' });

  test('gives the test file its own empty database', async () => {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const { rows } = await client.query('SELECT current_database() AS name');
    await client.end();
    expect(rows[0].name).toBe(db.name);
  });

  test('clones databases from a migrated template', async () => {
    const template = {
      key: `t_${Date.now()}`,
      migrate: async (url: string) => {
        const c = new pg.Client({ connectionString: url });
        await c.connect();
        await c.query('CREATE TABLE marker (id int); INSERT INTO marker VALUES (42)');
        await c.end();
      },
    };
    const [a, b] = await Promise.all([createTestDatabase({ template }), createTestDatabase({ template })]);
    for (const d of [a, b]) {
      const c = new pg.Client({ connectionString: d.url });
      await c.connect();
      const { rows } = await c.query('SELECT id FROM marker');
      await c.end();
      expect(rows).toEqual([{ id: 42 }]);
      await d.drop();
    }
    const admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS bosun_tpl_${template.key.toLowerCase()}`);
    await admin.end();
  });
});
