/**
 * Process glue for a service's `main.ts`: SIGTERM/SIGINT stop the lifecycle and exit,
 * a second signal forces the exit, an unhandled rejection or uncaught exception logs and
 * stops with exit 1. `runMain` adds the config-error path (exit 1, the message on stderr).
 *
 * Invariants:
 * - SIGNALS_ONLY_FROM_MAIN: nothing here runs unless a service passes its real `process`;
 *   packages never install handlers of their own.
 * - EXIT_CODE_TELLS_THE_TRUTH: 0 only when every component drained and stopped cleanly;
 *   1 on an error, abandoned work, a failed start or a forced (second-signal) exit.
 * - SECOND_SIGNAL_FORCES_EXIT: exits 1 at once, without waiting for the drain.
 * - ONE_SIGNAL_MANY_PATHS: the same signal arriving again within `duplicateWindowMs` (default
 *   1000) is one signal delivered twice — `npm start` relays SIGTERM to the process group and
 *   tsx relays it again — and is ignored, so a plain `docker stop` still drains.
 * - Logs are flushed before every exit this module makes.
 */
import type { Logger } from 'pino';
import { isBosunError } from '../errors/bosun-error.js';
import { flushLogger } from '../logging/create-logger.js';
import type { Lifecycle } from './create-lifecycle.js';

/** The parts of `process` used here; tests pass a fake. */
export interface ProcessLike {
  // biome-ignore lint/suspicious/noExplicitAny: must accept NodeJS.Process's overloaded listener types
  on(event: string, listener: (...args: any[]) => void): unknown;
  // biome-ignore lint/suspicious/noExplicitAny: as above
  off(event: string, listener: (...args: any[]) => void): unknown;
  exit(code?: number): void;
  readonly stderr: { write(text: string): unknown };
}

export interface HandleSignalsOptions {
  log: Logger;
  /** Default ['SIGTERM', 'SIGINT']. */
  signals?: readonly NodeJS.Signals[];
  /** A repeat of the first signal within this window is a duplicate delivery, not a second signal. Default 1000. */
  duplicateWindowMs?: number;
  /** Time source (tests). Default performance.now. */
  now?: () => number;
}

/**
 * Installs the handlers on `proc`; returns a function removing them.
 * Call it before `lifecycle.start()` so a signal during start is handled too.
 */
export function handleSignals(
  lifecycle: Lifecycle,
  proc: ProcessLike,
  options: HandleSignalsOptions,
): () => void {
  const { log } = options;
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  let shuttingDown = false;
  let exited = false;

  const exit = async (code: number) => {
    if (exited) return;
    exited = true;
    await flushLogger(log);
    proc.exit(code);
  };

  const shutdown = async (failed: boolean) => {
    shuttingDown = true;
    try {
      const result = await lifecycle.stop();
      await exit(failed || !result.ok ? 1 : 0);
    } catch (error) {
      log.error({ err: error }, 'stop failed');
      await exit(1);
    }
  };

  const duplicateWindowMs = options.duplicateWindowMs ?? 1000;
  const now = options.now ?? (() => performance.now());
  let first: { signal: NodeJS.Signals; at: number } | undefined;

  const onSignal = (signal: NodeJS.Signals) => {
    if (first && first.signal === signal && now() - first.at < duplicateWindowMs) {
      log.debug({ signal }, 'same signal delivered again (process group and relay): ignored');
      return;
    }
    first ??= { signal, at: now() };
    if (shuttingDown) {
      log.warn({ signal }, 'second signal: exiting now without waiting for the drain');
      void exit(1);
      return;
    }
    log.info({ signal }, 'signal received: draining');
    void shutdown(false);
  };
  const onRejection = (reason: unknown) => {
    log.error({ err: reason }, 'unhandled promise rejection: stopping');
    if (!shuttingDown) void shutdown(true);
  };
  const onException = (error: unknown) => {
    log.fatal({ err: error }, 'uncaught exception: stopping');
    if (!shuttingDown) void shutdown(true);
    else void exit(1);
  };

  const installed: Array<[string, (...args: unknown[]) => void]> = [
    ...signals.map((s) => [s, () => onSignal(s)] as [string, () => void]),
    ['unhandledRejection', onRejection as (...args: unknown[]) => void],
    ['uncaughtException', onException as (...args: unknown[]) => void],
  ];
  for (const [event, listener] of installed) proc.on(event, listener);
  return () => {
    for (const [event, listener] of installed) proc.off(event, listener);
  };
}

export interface MainApp {
  lifecycle: Lifecycle;
  log: Logger;
}

/**
 * Runs a service: builds it (config, logger, components), installs the signal handlers,
 * starts it. A build error (e.g. BOSUN_CONFIG_INVALID) goes to stderr as one message and
 * exits 1; a start error stops what started and exits 1.
 * @example
 * // services/users/src/main.ts
 * await runMain(() => buildUsers(loadUsersConfig()), { process });
 */
export async function runMain(
  build: () => Promise<MainApp> | MainApp,
  options: { process: ProcessLike },
): Promise<MainApp | undefined> {
  const proc = options.process;
  let app: MainApp;
  try {
    app = await build();
  } catch (error) {
    proc.stderr.write(`${describeStartupError(error)}\n`);
    proc.exit(1);
    return undefined;
  }
  handleSignals(app.lifecycle, proc, { log: app.log });
  try {
    await app.lifecycle.start();
  } catch (error) {
    // A signal during start aborts it; the signal handler owns that exit.
    if (app.lifecycle.state !== 'starting') return app;
    app.log.fatal({ err: error }, 'start failed: stopping');
    await app.lifecycle.stop().catch(() => {});
    await flushLogger(app.log);
    proc.exit(1);
  }
  return app;
}

function describeStartupError(error: unknown): string {
  if (isBosunError(error)) return `bosun: ${error.code}: ${error.title}\n${error.detail ?? ''}`.trimEnd();
  if (error instanceof Error) return `bosun: failed to start: ${error.stack ?? error.message}`;
  return `bosun: failed to start: ${String(error)}`;
}
