/**
 * The PostgreSQL connection a service uses: DATABASE_URL when given, otherwise an
 * embedded PostgreSQL under `.bosun/`.
 *
 * Invariants:
 * - UNREACHABLE_IS_NOT_FATAL: with a URL, connecting never fails start-up; an unreachable
 *   server shows as a failing `database` check on /readyz (503) until it comes back, so
 *   an orchestrator does not crash-loop the process over a database outage.
 * - SECRETS_NEVER_PRINTED: errors and logs name host and port, never the password.
 * - `close()` ends the pool before stopping an embedded server; it is idempotent.
 */
import type pg from 'pg';
import type { Logger } from 'pino';
import { coreErrors } from '../errors/core.errors.js';
import { startEmbeddedPostgres } from './embedded-postgres.js';

export interface ConnectPostgresOptions {
  /** DATABASE_URL. Undefined starts an embedded PostgreSQL. */
  url?: string;
  /** Embedded data directory. Default '.bosun/postgres'. */
  dataDir?: string;
  log: Logger;
  /** Pool size. Default 10. */
  max?: number;
  /** Bound for `check()` (connect + SELECT 1). Default 1000. */
  checkTimeoutMs?: number;
}

export interface PostgresConnection {
  pool: pg.Pool;
  url: string;
  embedded: boolean;
  /** Resolves when `SELECT 1` succeeds in time; throws BOSUN_DATABASE_UNAVAILABLE otherwise. */
  check(): Promise<void>;
  close(): Promise<void>;
}

/** `host:port/db` of a URL, for messages: never the credentials. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '5432'}${u.pathname}`;
  } catch {
    return '(unparseable DATABASE_URL)';
  }
}

/**
 * @example
 * const db = await connectPostgres({ url: config.DATABASE_URL, log });
 * await db.pool.query('SELECT now()');
 * await db.close();
 */
export async function connectPostgres(options: ConnectPostgresOptions): Promise<PostgresConnection> {
  const log = options.log.child({ component: 'postgres' });
  const embedded =
    // The root logger, not `log`: a child of a child would print `component` twice.
    options.url === undefined
      ? await startEmbeddedPostgres({ dataDir: options.dataDir, log: options.log })
      : undefined;
  const url = embedded?.url ?? options.url!;
  const where = describeUrl(url);
  const timeoutMs = options.checkTimeoutMs ?? 1000;
  // Loaded here, not at import: a service's health server listens before pg is even parsed.
  const { default: pgLib } = await import('pg');
  const pool = new pgLib.Pool({
    connectionString: url,
    max: options.max ?? 10,
    connectionTimeoutMillis: timeoutMs * 5,
  });
  let closing: Promise<void> | undefined;
  // An idle client's connection dropping (server restart) must not crash the process. While we
  // close, the embedded server's own shutdown (57P01) reaching a connection still winding down
  // is expected, not a warning.
  pool.on('error', (error) => {
    const expected = closing !== undefined && (error as { code?: string }).code === '57P01';
    log[expected ? 'debug' : 'warn']({ err: error, database: where }, 'idle PostgreSQL connection failed');
  });
  log.info({ database: where, embedded: embedded !== undefined }, 'PostgreSQL pool created');

  return {
    pool,
    url,
    embedded: embedded !== undefined,
    async check() {
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          pool.query('SELECT 1'),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
          }),
        ]);
      } catch (error) {
        throw coreErrors.create(
          'BOSUN_DATABASE_UNAVAILABLE',
          `PostgreSQL at ${where} is unavailable: ${(error as Error).message || (error as Error).name}. Check that it is running and that DATABASE_URL points at it.`,
          { cause: error, meta: { database: where } },
        );
      } finally {
        clearTimeout(timer);
      }
    },
    close() {
      closing ??= (async () => {
        await pool.end();
        await embedded?.stop();
      })();
      return closing;
    },
  };
}
