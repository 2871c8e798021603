/**
 * Recovery from a PostgreSQL left behind by a killed process: when the Node process that
 * started an embedded PostgreSQL is SIGKILLed, the postmaster (in its own process group)
 * keeps running and its `postmaster.pid` keeps the data directory locked.
 *
 * Invariants:
 * - NEVER_STOP_A_FOREIGN_POSTGRES: a live postmaster is stopped only when its command line
 *   names this data directory and the process that started it (owner.pid) is gone.
 * - A `postmaster.pid` naming a dead (or unrelated) process is removed.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { coreErrors } from '../errors/core.errors.js';

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !isZombie(pid);
  } catch (error) {
    // EPERM: it exists but belongs to another user (e.g. the postgres user).
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** An exited orphan that its reaper has not collected yet still answers kill(pid, 0). */
function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}

export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    try {
      return execFileSync('ps', ['-p', String(pid), '-o', 'command='], { encoding: 'utf8' });
    } catch {
      return '';
    }
  }
}

export function readPid(file: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(file, 'utf8').split('\n')[0] ?? '', 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

async function waitForExit(pid: number, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (!isAlive(pid)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return !isAlive(pid);
}

/** Stops a postmaster: fast shutdown (SIGINT), then immediate (SIGQUIT), then SIGKILL. */
export async function stopPostmaster(pid: number): Promise<void> {
  for (const [signal, ms] of [
    ['SIGINT', 10_000],
    ['SIGQUIT', 5_000],
    ['SIGKILL', 5_000],
  ] as const) {
    try {
      process.kill(pid, signal);
    } catch {
      return;
    }
    if (await waitForExit(pid, ms)) return;
  }
}

/**
 * Makes `pgdata` startable again after a crash. `dataDir` holds `owner.pid`, the pid of
 * the Node process that last started PostgreSQL there.
 * @throws BOSUN_EMBEDDED_POSTGRES_FAILED when a live process still owns the directory.
 */
export async function recoverStalePostmaster(dataDir: string, pgdata: string, log: Logger): Promise<void> {
  const pidFile = join(pgdata, 'postmaster.pid');
  const pid = readPid(pidFile);
  if (pid === undefined) return;
  if (!isAlive(pid) || !commandLine(pid).includes(pgdata)) {
    log.warn({ pid, pidFile }, 'removing stale postmaster.pid (its process is gone)');
    rmSync(pidFile, { force: true });
    return;
  }
  const owner = readPid(join(dataDir, 'owner.pid'));
  if (owner === process.pid) {
    throw coreErrors.create(
      'BOSUN_EMBEDDED_POSTGRES_FAILED',
      `This process already runs the embedded PostgreSQL in ${dataDir}. Share that connection instead of starting it twice, or give the second one its own dataDir.`,
      { meta: { dataDir, owner, postmaster: pid } },
    );
  }
  if (owner !== undefined && isAlive(owner) && /node/.test(commandLine(owner))) {
    throw coreErrors.create(
      'BOSUN_EMBEDDED_POSTGRES_FAILED',
      `The embedded PostgreSQL in ${dataDir} is in use by process ${owner}. Stop that process, or give this one its own data directory (dataDir), or set DATABASE_URL.`,
      { meta: { dataDir, owner, postmaster: pid } },
    );
  }
  log.warn({ pid, dataDir }, 'stopping an embedded PostgreSQL left running by a killed process');
  await stopPostmaster(pid);
  if (isAlive(pid)) {
    throw coreErrors.create(
      'BOSUN_EMBEDDED_POSTGRES_FAILED',
      `An embedded PostgreSQL left by a killed process (pid ${pid}) in ${dataDir} would not stop. Kill it (kill -9 ${pid}) and start again.`,
      { meta: { dataDir, postmaster: pid } },
    );
  }
  rmSync(pidFile, { force: true });
}
