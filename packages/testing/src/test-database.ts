/**
 * A database per test file. `useTestDatabase()` registers vitest hooks that create a
 * fresh database (cloned from a migrated template when `template` is given) before the
 * file's tests and drop it after, unless a test failed: then the database is kept and
 * its name printed, so the failure can be inspected.
 *
 * The server comes from vitest's global setup (`inject('databaseUrl')`): DATABASE_URL
 * when set, otherwise an embedded PostgreSQL.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    natsUrl: string | undefined;
  }
}

export interface TemplateOptions {
  /** Names the template; bump it when migrations change (e.g. `queue-v3`). */
  key: string;
  /** Brings an empty database to the migrated state. */
  migrate: (url: string) => Promise<void>;
}

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

export function serverUrl(): string {
  return inject('databaseUrl');
}

export function databaseUrl(base: string, name: string): string {
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}

async function withAdmin<T>(base: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl(base, 'postgres') });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

async function ensureTemplate(base: string, template: TemplateOptions): Promise<string> {
  const name = `bosun_tpl_${template.key.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}`;
  await withAdmin(base, async (admin) => {
    // Files run in parallel: one of them builds the template, the others wait on the lock.
    await admin.query('SELECT pg_advisory_lock(hashtext($1))', [name]);
    try {
      const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (exists.rowCount === 0) {
        const building = `${name}_building`;
        await admin.query(`DROP DATABASE IF EXISTS ${quote(building)}`);
        await admin.query(`CREATE DATABASE ${quote(building)}`);
        await template.migrate(databaseUrl(base, building));
        await admin.query(`ALTER DATABASE ${quote(building)} RENAME TO ${quote(name)}`);
      }
    } finally {
      await admin.query('SELECT pg_advisory_unlock(hashtext($1))', [name]);
    }
  });
  return name;
}

/** Creates a uniquely named database, optionally from a migrated template. */
export async function createTestDatabase(
  options: { base?: string; template?: TemplateOptions; label?: string } = {},
): Promise<TestDatabase> {
  const base = options.base ?? serverUrl();
  const label = (options.label ?? 'db')
    .replace(/[^a-z0-9]/gi, '_')
    .toLowerCase()
    .slice(0, 30);
  const name = `bosun_test_${label}_${randomBytes(4).toString('hex')}`;
  const templateName = options.template ? await ensureTemplate(base, options.template) : undefined;
  await withAdmin(base, async (admin) => {
    if (templateName) {
      // CREATE DATABASE ... TEMPLATE fails while another session is connected to the template.
      await admin.query('SELECT pg_advisory_lock(hashtext($1))', [templateName]);
      try {
        await admin.query(`CREATE DATABASE ${quote(name)} TEMPLATE ${quote(templateName)}`);
      } finally {
        await admin.query('SELECT pg_advisory_unlock(hashtext($1))', [templateName]);
      }
    } else {
      await admin.query(`CREATE DATABASE ${quote(name)}`);
    }
  });
  const url = databaseUrl(base, name);
  return {
    name,
    url,
    drop: () =>
      withAdmin(base, async (admin) => {
        // DROP_WAITS_FOR_CLIENTS: pg's pool.end() resolves before its sockets close, so a
        // connection the test already ended may still be open. FORCE would send it 57P01, which
        // its pool re-emits as an 'error' nobody listens to any more (an uncaught exception in
        // vitest). Give those connections up to 2 s to go; FORCE only what is still there.
        for (let i = 0; i < 40; i++) {
          const { rows } = await admin.query<{ n: number }>(
            'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1',
            [name],
          );
          if ((rows[0]?.n ?? 0) === 0) break;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        await admin.query(`DROP DATABASE IF EXISTS ${quote(name)} WITH (FORCE)`);
      }),
  };
}

/**
 * Registers hooks giving this test file its own database. Read `.url` inside tests or
 * hooks (not at module load).
 * @example
 * const db = useTestDatabase({ label: 'queue' });
 * test('...', async () => { const pool = new pg.Pool({ connectionString: db.url }); ... });
 */
export function useTestDatabase(options: { template?: TemplateOptions; label?: string } = {}): {
  readonly url: string;
  readonly name: string;
} {
  let database: TestDatabase | undefined;
  let failed = false;
  beforeAll(async () => {
    database = await createTestDatabase(options);
  });
  beforeEach((ctx) => {
    ctx.onTestFailed(() => {
      failed = true;
    });
  });
  afterAll(async () => {
    if (!database) return;
    if (failed) {
      process.stderr.write(`[bosun/testing] a test failed: kept database ${database.name} for inspection\n`);
    } else {
      await database.drop();
    }
  });
  return {
    get url() {
      if (!database) throw new Error('useTestDatabase(): the database exists only inside tests and hooks');
      return database.url;
    },
    get name() {
      if (!database) throw new Error('useTestDatabase(): the database exists only inside tests and hooks');
      return database.name;
    },
  };
}
