/**
 * The health server: /livez, /readyz and /metrics on HEALTH_PORT, a port of its own so
 * probes and scrapes never queue behind application traffic.
 *
 * Invariants:
 * - LIVEZ_IS_THE_EVENT_LOOP: /livez answers 200 whenever the loop turns; it checks nothing
 *   else, so a slow database never gets a healthy process killed.
 * - READY_GATES_INTAKE: /readyz is 503 the instant the lifecycle leaves `ready` (no checks
 *   are run then); while starting or ready it runs every check, each bounded by
 *   `checkTimeoutMs`, and is 200 only when the lifecycle is ready and all pass.
 * - The 503 body names each failing check with its reason; it never includes config values.
 * Register it first, so it listens before dependencies connect and closes last.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { Gauge } from 'prom-client';
import type { Component, HealthDetails, Lifecycle } from '../lifecycle/create-lifecycle.js';
import type { Metrics } from '../metrics/create-metrics.js';

export interface CheckResult {
  ok: boolean;
  error?: string;
  ms: number;
  /** What a passing check reported (Component.health's result); never a readiness failure. */
  details?: HealthDetails;
}

export interface ReadinessReport {
  status: 'ok' | 'unavailable';
  state: string;
  checks: Record<string, CheckResult>;
}

export interface HealthServerOptions {
  lifecycle: Lifecycle;
  log: Logger;
  /** HEALTH_PORT; 0 picks a free port (read `.port` after start). */
  port: number;
  host?: string;
  metrics?: Metrics;
  /** Checks beyond the components' own `health()` (keyed by name). */
  // biome-ignore lint/suspicious/noConfusingVoidType: as Component.health
  checks?: Record<string, () => Promise<HealthDetails | void> | HealthDetails | void>;
  /** Per-check bound. Default 1000. */
  checkTimeoutMs?: number;
}

export interface HealthServer extends Component {
  /** The bound port (differs from `options.port` when that is 0). */
  readonly port: number;
  readonly url: string;
  /** What /readyz would answer now. */
  readiness(): Promise<ReadinessReport>;
}

/**
 * @example
 * const health = createHealthServer({ lifecycle, log, metrics, port: config.HEALTH_PORT });
 * lifecycle.register(health); // first: listens before dependencies connect
 */
export function createHealthServer(options: HealthServerOptions): HealthServer {
  const { lifecycle, metrics } = options;
  const log = options.log.child({ component: 'health' });
  const host = options.host ?? '0.0.0.0';
  const timeoutMs = options.checkTimeoutMs ?? 1000;
  let server: Server | undefined;
  let boundPort = options.port;
  if (metrics && !metrics.registry.getSingleMetric('bosun_ready')) {
    new Gauge({
      name: 'bosun_ready',
      help: '1 when the lifecycle is ready to take work (READY_GATES_INTAKE), else 0',
      registers: [metrics.registry],
      // Read at scrape time, so it never disagrees with the lifecycle.
      collect() {
        this.set(lifecycle.isReady() ? 1 : 0);
      },
    });
  }

  async function readiness(): Promise<ReadinessReport> {
    const state = lifecycle.state;
    if (state !== 'ready' && state !== 'starting') return { status: 'unavailable', state, checks: {} };
    const entries = [
      ...lifecycle.healthChecks(),
      ...Object.entries(options.checks ?? {}).map(([name, check]) => ({ name, check })),
    ];
    const results = await Promise.all(
      entries.map(async (e) => [e.name, await runCheck(e.check, timeoutMs)] as const),
    );
    const checks = Object.fromEntries(results);
    // Read again: the lifecycle may have started draining while the checks ran.
    const ready = lifecycle.isReady() && results.every(([, r]) => r.ok);
    return { status: ready ? 'ok' : 'unavailable', state: lifecycle.state, checks };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, { error: 'method not allowed' });
    if (path === '/livez') return send(res, 200, { status: 'ok' });
    if (path === '/readyz') {
      const report = await readiness();
      return send(res, report.status === 'ok' ? 200 : 503, report);
    }
    if (path === '/metrics' && metrics) {
      const text = await metrics.render();
      res.writeHead(200, { 'content-type': metrics.contentType, 'cache-control': 'no-store' });
      res.end(text);
      return;
    }
    send(res, 404, { error: 'not found' });
  }

  return {
    name: 'health',
    get port() {
      return boundPort;
    },
    get url() {
      return `http://${host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host}:${boundPort}`;
    },
    readiness,
    async start() {
      if (server) return;
      const s = createServer((req, res) => {
        handle(req, res).catch((error: unknown) => {
          log.error({ err: error }, 'health request failed');
          if (!res.headersSent) send(res, 500, { error: 'internal' });
          else res.destroy();
        });
      });
      // Probes use short-lived connections; never let one hold the close.
      s.keepAliveTimeout = 1000;
      await new Promise<void>((resolve, reject) => {
        s.once('error', reject);
        s.listen(options.port, host, () => {
          s.off('error', reject);
          resolve();
        });
      });
      server = s;
      boundPort = (s.address() as AddressInfo).port;
      log.info({ port: boundPort, uptimeMs: Math.round(process.uptime() * 1000) }, 'health server listening');
    },
    async stop() {
      const s = server;
      if (!s) return;
      server = undefined;
      await new Promise<void>((resolve) => {
        s.close(() => resolve());
        s.closeAllConnections();
      });
    },
  };
}

async function runCheck(
  // biome-ignore lint/suspicious/noConfusingVoidType: as Component.health
  check: () => Promise<HealthDetails | void> | HealthDetails | void,
  timeoutMs: number,
): Promise<CheckResult> {
  const began = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const details = await Promise.race([
      Promise.resolve().then(check),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    const ms = Math.round(performance.now() - began);
    return details && typeof details === 'object' ? { ok: true, ms, details } : { ok: true, ms };
  } catch (error) {
    const message = error instanceof Error ? error.message || error.name : String(error);
    return { ok: false, error: message, ms: Math.round(performance.now() - began) };
  } finally {
    clearTimeout(timer);
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(text);
}
