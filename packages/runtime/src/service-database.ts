/**
 * A service's own schema in the shared database: its migrations run at start (in the
 * schema named after the service), and its handlers get a pool whose search_path is
 * that schema, so `SELECT * FROM greetings` means the service's own table.
 *
 * Invariants: SCHEMA_PER_SERVICE — a service's unqualified table names resolve to its own
 * schema first; MIGRATIONS_SERIALISED (core's runMigrations) across replicas.
 */
import { type AnyService, type Component, type DbPort, quoteIdent, runMigrations } from '@bosun/core';
import pg from 'pg';
import type { Logger } from 'pino';
import { schemaOf } from './schema-of.js';

export interface ServiceDatabase extends Component {
  /** The service's pool (search_path = its schema, then public). Throws before start(). */
  readonly db: DbPort & { connect(): Promise<pg.PoolClient> };
}

export function serviceDatabase(options: {
  service: AnyService;
  url: () => string;
  log: Logger;
  max?: number;
}): ServiceDatabase {
  const schema = schemaOf(options.service);
  let pool: pg.Pool | undefined;
  return {
    name: `database:${options.service.name}`,
    get db() {
      if (!pool) throw new Error(`The database of service "${options.service.name}" is used before start().`);
      return pool;
    },
    async start() {
      const url = options.url();
      const migrator = new pg.Pool({ connectionString: url, max: 1 });
      try {
        const applied = await runMigrations(migrator, { schema, migrations: options.service.migrations });
        if (applied.length > 0) options.log.info({ schema, applied }, 'migrations applied');
      } finally {
        await migrator.end();
      }
      pool = new pg.Pool({
        connectionString: url,
        max: options.max ?? 10,
        options: `-c search_path=${quoteIdent(schema)},public`,
      });
      pool.on('error', (error) => options.log.warn({ err: error, schema }, 'idle connection failed'));
    },
    async stop() {
      const p = pool;
      pool = undefined;
      await p?.end();
    },
  };
}
