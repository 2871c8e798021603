/**
 * Forward-only, numbered SQL migrations for one schema. Used for each service's own
 * tables (`defineService({ migrations })`).
 *
 * Invariants:
 * - MIGRATIONS_SERIALISED: concurrent migrators (replicas starting together) take an
 *   advisory lock first, so each migration runs exactly once.
 * - MIGRATIONS_FORWARD_ONLY: migrations are applied in order, each in its own
 *   transaction with its record; a database that has a migration this code does not
 *   know fails with BOSUN_MIGRATION_DRIFT rather than running on a schema it cannot read.
 */
import type pg from 'pg';
import { coreErrors } from '../errors/core.errors.js';

export interface Migration {
  name: string;
  sql: string;
}

export interface MigrateOptions {
  schema: string;
  migrations: ReadonlyArray<Migration>;
}

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Applies pending migrations; returns the names applied by this call. */
export async function runMigrations(pool: pg.Pool, options: MigrateOptions): Promise<string[]> {
  const schema = quoteIdent(options.schema);
  const known = options.migrations.map((m) => m.name);
  if (new Set(known).size !== known.length) {
    throw coreErrors.create(
      'BOSUN_MIGRATION_FAILED',
      `Migration names for schema "${options.schema}" must be unique.`,
    );
  }
  const client = await pool.connect();
  const applied: string[] = [];
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [`bosun:migrate:${options.schema}`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${schema}.bosun_migrations (
         name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const { rows } = await client.query<{ name: string }>(`SELECT name FROM ${schema}.bosun_migrations`);
    const done = new Set(rows.map((r) => r.name));
    const unknown = [...done].filter((name) => !known.includes(name));
    if (unknown.length > 0) {
      throw coreErrors.create(
        'BOSUN_MIGRATION_DRIFT',
        `Schema "${options.schema}" has migrations this code does not define: ${unknown.join(', ')}.`,
        { meta: { unknown } },
      );
    }
    for (const migration of options.migrations) {
      if (done.has(migration.name)) continue;
      try {
        await client.query('BEGIN');
        await client.query(`SET LOCAL search_path TO ${schema}, public`);
        await client.query(migration.sql);
        await client.query(`INSERT INTO ${schema}.bosun_migrations (name) VALUES ($1)`, [migration.name]);
        await client.query('COMMIT');
        applied.push(migration.name);
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw coreErrors.create(
          'BOSUN_MIGRATION_FAILED',
          `Migration "${migration.name}" of schema "${options.schema}" failed: ${(error as Error).message}`,
          { cause: error },
        );
      }
    }
    return applied;
  } finally {
    await client
      .query('SELECT pg_advisory_unlock(hashtext($1))', [`bosun:migrate:${options.schema}`])
      .catch(() => {});
    client.release();
  }
}
