/**
 * A process harness for tests against real service processes: spawns
 * `node --import tsx <entry>`, collects its output, waits for log lines and HTTP answers,
 * sends signals.
 *
 * Invariants:
 * - NO_ORPHANS: every spawned process is SIGKILLed when the test that spawned it finishes
 *   (or, outside a test, when the worker exits, or on `killAllServices()`).
 * - The child's environment is exactly `env` (nothing inherited), so a test states every
 *   variable the service sees; a test that wants inheritance spreads its own environment in.
 * - Waits reject with the process's output so far, so a failure explains itself.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { onTestFinished } from 'vitest';

export interface SpawnServiceOptions {
  /** Path of the TypeScript (or JS) entry point. */
  entry: string;
  env?: Record<string, string | undefined>;
  cwd?: string;
  args?: string[];
  /** Load the entry through tsx. Default: true for TypeScript entries, false for .js/.mjs (a built bundle runs as `node dist/main.js`). */
  tsx?: boolean;
}

export interface ExitResult {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ServiceProcess {
  readonly pid: number;
  /** `performance.now()` when the process was spawned. */
  readonly spawnedAt: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Resolves with the first line (stdout or stderr, past or future) matching `pattern`. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Polls `url` until it answers `status`; resolves with the response body. */
  waitForHttp(url: string, status?: number, timeoutMs?: number): Promise<{ status: number; body: string }>;
  kill(signal?: NodeJS.Signals): void;
  readonly exited: Promise<ExitResult>;
  /** Stdout lines parsed as JSON (pino logs); non-JSON lines are skipped. */
  logs(): Array<Record<string, unknown>>;
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

/** SIGKILLs every process this worker spawned that is still running. */
export function killAllServices(): void {
  for (const child of live) child.kill('SIGKILL');
  live.clear();
}

/**
 * @example
 * const svc = spawnService({ entry: 'services/users/src/main.ts', env: { PATH: '/usr/bin:/bin', DATABASE_URL: serverUrl(), HEALTH_PORT: '9000' } });
 * await svc.waitForHttp('http://127.0.0.1:9000/readyz', 200);
 * svc.kill('SIGTERM');
 * expect((await svc.exited).code).toBe(0);
 */
export function spawnService(options: SpawnServiceOptions): ServiceProcess {
  const useTsx = options.tsx ?? !/\.[cm]?js$/.test(options.entry);
  const loader = useTsx ? ['--import', import.meta.resolve('tsx')] : [];
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, [...loader, options.entry, ...(options.args ?? [])], {
    cwd: options.cwd,
    env: Object.fromEntries(
      Object.entries(options.env ?? {}).filter(([, v]) => v !== undefined),
    ) as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', killAllServices);
  }
  try {
    onTestFinished(() => {
      child.kill('SIGKILL');
    });
  } catch {
    // Spawned outside a test (beforeAll): killed by killAllServices() or at worker exit.
  }

  let stdout = '';
  let stderr = '';
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const l of listeners) l();
  };
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    notify();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    notify();
  });
  let exitResult: ExitResult | undefined;
  let closed = false;
  const exited = new Promise<ExitResult>((resolve) => {
    child.once('exit', (code, signal) => {
      live.delete(child);
      exitResult = { code, signal };
      // Output may still be in the pipes; 'close' fires once they are drained.
      child.once('close', () => {
        closed = true;
        notify();
        resolve({ code, signal });
      });
    });
  });

  const describeOutput = () =>
    `exit: ${exitResult ? JSON.stringify(exitResult) : 'running'}\n--- stdout ---\n${stdout.slice(-4000)}\n--- stderr ---\n${stderr.slice(-4000)}`;

  const waitForLine = (pattern: RegExp, timeoutMs: number) =>
    new Promise<string>((resolve, reject) => {
      const find = () => `${stdout}\n${stderr}`.split('\n').find((line) => pattern.test(line));
      const finish = (error: Error | undefined, line?: string) => {
        clearTimeout(timer);
        listeners.delete(check);
        if (error) reject(error);
        else resolve(line!);
      };
      const check = () => {
        const line = find();
        if (line !== undefined) finish(undefined, line);
        else if (closed)
          finish(new Error(`process exited before a line matched ${pattern}\n${describeOutput()}`));
      };
      const timer = setTimeout(
        () =>
          finish(
            new Error(
              `timed out after ${timeoutMs} ms waiting for a line matching ${pattern}\n${describeOutput()}`,
            ),
          ),
        timeoutMs,
      );
      listeners.add(check);
      check();
    });

  const waitForHttp = async (url: string, status: number, timeoutMs: number) => {
    const until = performance.now() + timeoutMs;
    let last = 'no answer';
    for (;;) {
      try {
        const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
        const body = await res.text();
        if (res.status === status) return { status, body };
        last = `${res.status} ${body.slice(0, 500)}`;
      } catch (error) {
        last = (error as Error).message;
      }
      if (closed)
        throw new Error(
          `process exited before ${url} answered ${status} (last: ${last})\n${describeOutput()}`,
        );
      if (performance.now() > until) {
        throw new Error(
          `timed out after ${timeoutMs} ms waiting for ${url} to answer ${status} (last: ${last})\n${describeOutput()}`,
        );
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  return {
    pid: child.pid ?? -1,
    spawnedAt,
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
    waitForLine: (pattern, timeoutMs = 15_000) => waitForLine(pattern, timeoutMs),
    waitForHttp: (url, status = 200, timeoutMs = 15_000) => waitForHttp(url, status, timeoutMs),
    kill(signal = 'SIGTERM') {
      child.kill(signal);
    },
    exited,
    logs() {
      return stdout.split('\n').flatMap((line) => {
        if (!line.startsWith('{')) return [];
        try {
          return [JSON.parse(line) as Record<string, unknown>];
        } catch {
          return [];
        }
      });
    },
  };
}
