/**
 * What a process needs before anything else, built from @bosun/core alone: the logger,
 * metrics, lifecycle and health server. run-service.ts starts the health server with
 * these before it loads the transports (Fastify, the MCP SDK, NATS), so /livez answers
 * while that code loads and /readyz says `starting` (LIVEZ_BEFORE_TRANSPORTS).
 */
import { hostname } from 'node:os';
import {
  type AnyService,
  createHealthServer,
  createLifecycle,
  createLogger,
  createMetrics,
  type HealthServer,
  type Lifecycle,
  type Logger,
  type Metrics,
  type PostgresComponent,
} from '@bosun/core';
import type { AppConfig } from './app-config.js';
import type { BusComponent } from './bus-component.js';
import type { HttpComponent } from './http-component.js';
import type { ProcessComponents } from './process-components.js';
import type { QueueComponent } from './queue-component.js';
import type { ContextFactory } from './service-context.js';
import type { ServiceExtensions } from './service-extension.js';

export interface AppOptions {
  services: ReadonlyArray<AnyService>;
  config: AppConfig;
  /** Serve MCP over stdio: logs go to stderr and no HTTP port is opened. */
  mcpStdio?: boolean;
  /** Embedded PostgreSQL data directory. Default '.bosun/postgres'. */
  dataDir?: string;
  /** A logger to use instead of the default JSON logger (tests). */
  log?: Logger;
  /** Per service name: extra routes, REST caller identification, queue need (service-extension.ts). */
  extensions?: ServiceExtensions;
  /** Components beside the services, started last and stopped first (process-components.ts). */
  components?: ProcessComponents;
  /**
   * Service i's HTTP server listens on PORT + portOffset + i (PORT=0: every one on a free port).
   * Default 0. The one-process platform passes 1 so its gateway has PORT itself.
   */
  portOffset?: number;
  /**
   * Parts built (and the health server already listening) before this module was loaded,
   * so /livez answers while the transports' code loads (see run-service.ts).
   */
  early?: EarlyParts;
}

export interface EarlyParts {
  log: Logger;
  metrics: Metrics;
  lifecycle: Lifecycle;
  health: HealthServer;
  instance: string;
}

export interface App {
  readonly lifecycle: Lifecycle;
  readonly log: Logger;
  readonly metrics: Metrics;
  readonly health: HealthServer;
  readonly database: PostgresComponent | undefined;
  readonly queue: QueueComponent | undefined;
  readonly http: ReadonlyMap<string, HttpComponent>;
  readonly bus: BusComponent;
  /** In MCP stdio mode: resolves when the client closes the stream (the process should then stop). */
  readonly stdioClosed: Promise<void> | undefined;
  /** A context for calling a service's operations in-process (tests, scripts). */
  context(service: string): ContextFactory;
  start(): Promise<void>;
  stop(): ReturnType<Lifecycle['stop']>;
}

/**
 * The parts that need only @bosun/core: logger, metrics, lifecycle and the health server.
 * run-service.ts builds them first and starts the health server before loading the rest.
 */
export function buildEarlyParts(
  options: Pick<AppOptions, 'services' | 'config' | 'mcpStdio' | 'log'>,
): EarlyParts {
  const { services, config } = options;
  const main = services[0]!;
  const instance = config.SERVICE_INSTANCE_ID ?? `${hostname()}-${process.pid}`;
  const log =
    options.log ??
    createLogger({
      service: services.map((s) => s.name).join('+'),
      version: main.version,
      instance,
      level: config.LOG_LEVEL,
      destination: options.mcpStdio ? 'stderr' : 'stdout',
    });
  const metrics = createMetrics({ service: main.name });
  const lifecycle = createLifecycle({ log, drainTimeoutMs: config.DRAIN_TIMEOUT_MS });
  const health = createHealthServer({
    lifecycle,
    log,
    metrics,
    port: options.mcpStdio ? 0 : config.HEALTH_PORT,
    host: config.HOST,
  });
  return { log, metrics, lifecycle, health, instance };
}
