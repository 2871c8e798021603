/**
 * The lifecycle: starts registered components in order, and on stop drains them with a
 * deadline and stops them in reverse order.
 *
 * Invariants:
 * - READY_GATES_INTAKE: `isReady()` turns false synchronously inside `stop()`, before any
 *   component is asked to drain; `/readyz` and every transport read it, so nothing new is
 *   taken once draining has begun.
 * - START_ORDER / STOP_IN_REVERSE: components start in registration order and stop in
 *   reverse; a component whose start failed (or never ran) is not stopped.
 * - SINGLE_FLIGHT: `start()` and `stop()` are idempotent; concurrent callers share one promise.
 * - DRAIN_IS_BOUNDED: every `drain()` shares one deadline (drainTimeoutMs); what is still
 *   running then is reported as abandoned, logged by name, and makes the result not ok.
 * Not here: signals and exit codes (see handle-signals.ts), ports (health-server.ts).
 */
import type { Logger } from 'pino';
import { coreErrors } from '../errors/core.errors.js';

export type LifecycleState = 'idle' | 'starting' | 'ready' | 'draining' | 'stopping' | 'stopped';

export interface DrainResult {
  /** Labels of the work still running at the deadline (operation names, job ids). */
  abandoned?: string[];
}

export interface Component {
  name: string;
  /** Connects/listens. `signal` aborts when stop() is called during start. */
  start?(signal: AbortSignal): Promise<void> | void;
  /**
   * Stops intake at once, then waits for in-flight work until idle or `signal` aborts
   * (the drain deadline). Returns what it had to abandon.
   */
  // biome-ignore lint/suspicious/noConfusingVoidType: lets `async () => { await idle }` be a drain that abandons nothing
  drain?(signal: AbortSignal): Promise<DrainResult | undefined | void> | DrainResult | undefined | void;
  /** Releases resources. `signal` aborts at the stop deadline. */
  stop?(signal: AbortSignal): Promise<void> | void;
  /**
   * A readiness check for /readyz: resolves when healthy, throws (with a reason) when not.
   * An object it resolves with is shown as the check's `details` (state worth seeing that
   * is not a failure, e.g. circuit breakers).
   */
  // biome-ignore lint/suspicious/noConfusingVoidType: a check that only throws returns nothing
  health?(): Promise<HealthDetails | void> | HealthDetails | void;
}

/** What a health check may report besides pass/fail; JSON-serialisable. */
export type HealthDetails = Record<string, unknown>;

export interface StopResult {
  /** True when every component drained and stopped cleanly and nothing was abandoned. */
  ok: boolean;
  abandoned: Array<{ component: string; work: string[] }>;
  errors: Array<{ component: string; phase: 'drain' | 'stop'; error: unknown }>;
}

export interface HealthCheckEntry {
  name: string;
  // biome-ignore lint/suspicious/noConfusingVoidType: as Component.health
  check: () => Promise<HealthDetails | void> | HealthDetails | void;
}

export interface Lifecycle {
  register(component: Component): void;
  start(): Promise<void>;
  stop(): Promise<StopResult>;
  isReady(): boolean;
  readonly state: LifecycleState;
  /** Components' health checks, in registration order. */
  healthChecks(): HealthCheckEntry[];
}

export interface LifecycleOptions {
  log: Logger;
  /** Drain deadline. Default 10 000 (DRAIN_TIMEOUT_MS). */
  drainTimeoutMs?: number;
  /** Deadline for each component's stop(). Default 5 000. */
  stopTimeoutMs?: number;
}

/**
 * @example
 * const lifecycle = createLifecycle({ log, drainTimeoutMs: config.DRAIN_TIMEOUT_MS });
 * lifecycle.register(healthServer);
 * lifecycle.register(database);
 * await lifecycle.start();
 */
export function createLifecycle(options: LifecycleOptions): Lifecycle {
  const log = options.log.child({ component: 'lifecycle' });
  const drainTimeoutMs = options.drainTimeoutMs ?? 10_000;
  const stopTimeoutMs = options.stopTimeoutMs ?? 5_000;
  const components: Component[] = [];
  const started: Component[] = [];
  const startAbort = new AbortController();
  let state: LifecycleState = 'idle';
  let starting: Promise<void> | undefined;
  let stopping: Promise<StopResult> | undefined;

  async function runStart(): Promise<void> {
    state = 'starting';
    for (const component of components) {
      if (startAbort.signal.aborted) break;
      const began = performance.now();
      try {
        await component.start?.(startAbort.signal);
      } catch (error) {
        log.error({ err: error, target: component.name }, 'component failed to start');
        throw coreErrors.create(
          'BOSUN_LIFECYCLE_FAILED',
          `Component "${component.name}" failed to start: ${error instanceof Error ? error.message : String(error)}`,
          { cause: error, meta: { component: component.name } },
        );
      }
      started.push(component);
      log.debug({ target: component.name, ms: Math.round(performance.now() - began) }, 'component started');
    }
    if (startAbort.signal.aborted) return;
    state = 'ready';
    log.info({ components: components.map((c) => c.name) }, 'ready');
  }

  async function runStop(): Promise<StopResult> {
    const result: StopResult = { ok: true, abandoned: [], errors: [] };
    // READY_GATES_INTAKE: before the first await.
    state = 'draining';
    startAbort.abort();
    if (starting) await starting.catch(() => {});
    log.info({ drainTimeoutMs }, 'draining');

    const deadline = AbortSignal.timeout(drainTimeoutMs);
    await Promise.all(
      [...started].reverse().map(async (component) => {
        if (!component.drain) return;
        try {
          const drained = await component.drain(deadline);
          const work = drained?.abandoned ?? [];
          if (work.length > 0) result.abandoned.push({ component: component.name, work });
        } catch (error) {
          result.errors.push({ component: component.name, phase: 'drain', error });
        }
      }),
    );
    for (const { component, work } of result.abandoned) {
      log.error({ target: component, abandoned: work }, 'drain deadline reached; abandoned in-flight work');
    }

    state = 'stopping';
    for (const component of [...started].reverse()) {
      if (!component.stop) continue;
      const signal = AbortSignal.timeout(stopTimeoutMs);
      try {
        await raceAbort(Promise.resolve(component.stop(signal)), signal, component.name);
      } catch (error) {
        result.errors.push({ component: component.name, phase: 'stop', error });
      }
    }
    started.length = 0;
    for (const { component, phase, error } of result.errors) {
      log.error({ err: error, target: component, phase }, `component failed to ${phase}`);
    }
    result.ok = result.abandoned.length === 0 && result.errors.length === 0;
    state = 'stopped';
    log.info({ ok: result.ok }, 'stopped');
    return result;
  }

  return {
    register(component) {
      if (state !== 'idle') {
        throw coreErrors.create(
          'BOSUN_LIFECYCLE_FAILED',
          `Component "${component.name}" was registered after start(); register every component before starting.`,
        );
      }
      if (components.some((c) => c.name === component.name)) {
        throw coreErrors.create(
          'BOSUN_LIFECYCLE_FAILED',
          `A component named "${component.name}" is already registered; give each component a unique name.`,
        );
      }
      components.push(component);
    },
    start() {
      if (stopping && !starting) {
        return Promise.reject(
          coreErrors.create(
            'BOSUN_LIFECYCLE_FAILED',
            'start() was called after stop(); create a new lifecycle.',
          ),
        );
      }
      starting ??= runStart();
      return starting;
    },
    stop() {
      stopping ??= runStop();
      return stopping;
    },
    isReady: () => state === 'ready',
    get state() {
      return state;
    },
    healthChecks: () =>
      components.flatMap((c) => (c.health ? [{ name: c.name, check: () => c.health!() }] : [])),
  };
}

function raceAbort<T>(work: Promise<T>, signal: AbortSignal, name: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () =>
      reject(new Error(`Component "${name}" did not stop before its deadline; its resources may leak.`));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
