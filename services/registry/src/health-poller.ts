/**
 * Polls each instance's `/readyz` on the health port its heartbeat announces
 * (`ports.health`), so the registry can tell a live-but-unready instance from a healthy
 * one. A heartbeat says the process runs; readiness says it takes work.
 *
 * Invariants:
 * - ONE_POLL_PER_HEALTH_SERVER: targets are keyed by host:port. In one-process mode every
 *   service shares one health server, so one poll answers for all of them.
 * - POLL_NEVER_OVERLAPS: a target whose previous poll is still running is skipped, and each
 *   poll is bounded by `timeoutMs` (a hung instance counts as unhealthy, never blocks).
 * - SAME_HOST_IS_LOOPBACK: an instance announcing this machine's hostname is polled on
 *   127.0.0.1 (its health server listens on every interface or on loopback).
 * Not here: staleness (the bus's registry view: STALE_AFTER_MISSED_BEATS).
 */
import { hostname } from 'node:os';

export interface Readiness {
  ok: boolean;
  /** HTTP status, or 0 when the poll failed to connect or timed out. */
  status: number;
  checkedAt: Date;
  /** Why it failed: the response's reason or the connection error. */
  detail?: string;
}

export interface HealthTarget {
  host: string;
  port: number;
}

export interface HealthPoller {
  /** The latest readiness of a target, or undefined before its first poll. */
  get(target: HealthTarget): Readiness | undefined;
  /** Polls these targets now (skipping ones in flight). */
  poll(targets: HealthTarget[]): Promise<void>;
  /** Forgets every target not listed (instances gone from the view). */
  retain(targets: HealthTarget[]): void;
  stop(): void;
}

export interface HealthPollerOptions {
  timeoutMs: number;
  /** Injected for tests of the failure paths; default global fetch. */
  fetch?: typeof fetch;
  now?: () => Date;
}

const keyOf = (t: HealthTarget) => `${t.host}:${t.port}`;

export function createHealthPoller(options: HealthPollerOptions): HealthPoller {
  const doFetch = options.fetch ?? fetch;
  const now = options.now ?? (() => new Date());
  const results = new Map<string, Readiness>();
  const inFlight = new Map<string, AbortController>();
  const self = hostname();
  let stopped = false;

  async function check(target: HealthTarget): Promise<void> {
    const key = keyOf(target);
    if (inFlight.has(key) || stopped) return;
    const controller = new AbortController();
    inFlight.set(key, controller);
    const timer = setTimeout(() => controller.abort(), options.timeoutMs);
    const host = target.host === self ? '127.0.0.1' : target.host;
    try {
      const res = await doFetch(`http://${host}:${target.port}/readyz`, { signal: controller.signal });
      const text = await res.text().catch(() => '');
      let detail: string | undefined;
      if (!res.ok) {
        try {
          // The health server's 503 body: { state, checks: { name: { ok, ... } } }; never config values.
          const report = JSON.parse(text) as { state?: string; checks?: Record<string, { ok?: boolean }> };
          const failing = Object.entries(report.checks ?? {})
            .filter(([, c]) => c.ok === false)
            .map(([name]) => name);
          detail = `state ${report.state ?? 'unknown'}${failing.length ? `; failing: ${failing.join(', ')}` : ''}`;
        } catch {
          detail = res.statusText || `status ${res.status}`;
        }
      }
      results.set(key, { ok: res.ok, status: res.status, checkedAt: now(), detail });
    } catch (error) {
      const detail = controller.signal.aborted
        ? `no answer within ${options.timeoutMs} ms`
        : ((error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message);
      results.set(key, { ok: false, status: 0, checkedAt: now(), detail });
    } finally {
      clearTimeout(timer);
      inFlight.delete(key);
    }
  }

  return {
    get: (target) => results.get(keyOf(target)),
    async poll(targets) {
      await Promise.all(targets.map(check));
    },
    retain(targets) {
      const wanted = new Set(targets.map(keyOf));
      for (const key of results.keys()) if (!wanted.has(key)) results.delete(key);
    },
    stop() {
      stopped = true;
      for (const controller of inFlight.values()) controller.abort();
    },
  };
}
