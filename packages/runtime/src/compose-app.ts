/**
 * composeApp(): composes one process from one or more service definitions — logger,
 * metrics, lifecycle, health server, PostgreSQL (embedded when DATABASE_URL is unset),
 * each service's schema and migrations, the job queue with the services' jobs and
 * schedules, and each service's HTTP surface (REST, OpenAPI, MCP).
 *
 * Start order (stop is the reverse): health -> database -> service schemas -> outbox
 * schema -> queue -> bus -> outbox relay -> transports. The health server comes first
 * so /livez answers while dependencies connect, and /readyz stays 503 until every component has started.
 *
 * Invariants: READY_GATES_INTAKE (lifecycle + every transport), SCHEMA_PER_SERVICE.
 * Not here: process signals and exit codes (run-service.ts), env parsing (app-config.ts).
 */
import {
  type AnyService,
  type Component,
  createLogger,
  type DbPort,
  type EventPublisher,
  type Logger,
  postgresComponent,
} from '@bosun/core';
import { type McpStdio, serveMcpStdio } from '@bosun/mcp';
import { type BusComponent, busComponent } from './bus-component.js';
import { type App, type AppOptions, buildEarlyParts } from './early-parts.js';
import { type HttpComponent, httpComponent } from './http-component.js';
import { mountMcpFor } from './mcp-mount.js';
import { outboxParts } from './outbox-component.js';
import { type QueueComponent, queueComponent } from './queue-component.js';
import { queueJobsPort } from './queue-ports.js';
import { runtimeErrors } from './runtime.errors.js';
import { type ContextFactory, createContextFactory, missingJobSender } from './service-context.js';
import { type ServiceDatabase, serviceDatabase } from './service-database.js';
import { tracingParts } from './tracing-component.js';

const noEvents = (service: string): EventPublisher => ({
  publish: async (subject) => {
    throw runtimeErrors.create(
      'BOSUN_RUNTIME_NO_BUS',
      `Service "${service}" published "${subject}" but this process has no event bus yet; declare it in events.publishes and run with NATS_URL or the in-process bus.`,
    );
  },
});

export type { App, AppOptions, EarlyParts } from './early-parts.js';

export function composeApp(options: AppOptions): App {
  const { services, config } = options;
  const main = services[0]!;
  const { log, metrics, lifecycle, health, instance } = options.early ?? buildEarlyParts(options);
  const tracing = tracingParts({
    endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
    services: services.map((s) => s.name),
    version: main.version,
    log,
  });
  const tracer = tracing.tracer;
  // SPANS_FLUSH_ON_STOP: first registered, last stopped (after every transport drained).
  if (tracing.component) lifecycle.register(tracing.component);
  lifecycle.register(health);

  const extensions = options.extensions ?? {};
  const needsDatabase =
    services.some(
      (s) => s.migrations.length > 0 || Object.keys(s.jobs).length > 0 || Object.keys(s.schedules).length > 0,
    ) || Object.values(extensions).some((e) => e.queue === true);
  const database = needsDatabase
    ? postgresComponent({ url: config.DATABASE_URL, dataDir: options.dataDir, log })
    : undefined;
  if (database) lifecycle.register(database);

  const schemas = new Map<string, ServiceDatabase>();
  if (database) {
    for (const service of services) {
      const db = serviceDatabase({ service, url: () => database.connection.url, log });
      schemas.set(service.name, db);
      lifecycle.register(db);
    }
  }

  // One service: the root logger already names it. Several: each gets its own logger.
  const serviceLog = (service: AnyService): Logger =>
    services.length === 1 || options.log
      ? log
      : createLogger({
          service: service.name,
          version: service.version,
          instance,
          level: config.LOG_LEVEL,
          destination: options.mcpStdio ? 'stderr' : 'stdout',
        });
  const contexts = new Map<string, ContextFactory>();
  let queue: QueueComponent | undefined;
  // Created below; contexts reach it lazily, since it starts after the database.
  let bus: BusComponent | undefined;
  for (const service of services) {
    const schema = schemas.get(service.name);
    contexts.set(
      service.name,
      createContextFactory({
        service,
        config,
        log: serviceLog(service),
        db: (): DbPort | undefined => schema?.db,
        jobs: {
          send: (name, data, o) => (queue?.jobs ?? missingJobSender(service.name)).send(name, data, o),
        },
        events: {
          publish: (subject, data, o) =>
            (bus?.events(service.name) ?? noEvents(service.name)).publish(subject, data, o),
        },
        call: (target, operation, input, o) => bus!.call(service.name)(target, operation, input, o),
      }),
    );
  }
  // The outbox relay reaches the bus after it has started.
  const outbox = database
    ? outboxParts({
        services,
        pool: () => database.connection.pool,
        transport: () => bus!.transport,
        log,
        registry: metrics.registry,
      })
    : undefined;
  if (outbox) lifecycle.register(outbox.schema);
  if (database) {
    queue = queueComponent({
      services,
      pool: () => database.connection.pool,
      log,
      registry: metrics.registry,
      contexts,
      drainTimeoutMs: config.DRAIN_TIMEOUT_MS,
      tracer,
    });
    lifecycle.register(queue);
  }

  const http = new Map<string, HttpComponent>();
  // PORTS_ARE_ANNOUNCED: heartbeats read this one object on every beat. The bus starts before
  // the HTTP ports listen (port 0 picks them then), so it is refreshed once they do.
  const announcedPorts: Record<string, number> = {};
  const refreshPorts = () => {
    announcedPorts.health = health.port;
    for (const [name, h] of http) if (h.url) announcedPorts[`http:${name}`] = Number(new URL(h.url).port);
    return announcedPorts;
  };
  // SERVED_BY_A_COMPONENT (service-extension.ts): a component serves these, not the runtime.
  const served = services.filter((s) => extensions[s.name]?.transports !== false);
  bus = busComponent({
    services: served,
    connectionName: services.map((s) => s.name).join('+'),
    log,
    natsUrl: config.NATS_URL,
    root: config.BUS_SUBJECT_ROOT,
    production: config.NODE_ENV === 'production',
    privateKey: config.SERVICE_PRIVATE_KEY,
    trustedKeys: config.SERVICE_TRUSTED_KEYS,
    instance,
    contexts,
    registry: metrics.registry,
    heartbeatIntervalMs: config.HEARTBEAT_INTERVAL_MS,
    outbox: outbox?.writer,
    isReady: () => lifecycle.isReady(),
    ports: () => refreshPorts(),
    tracer,
  });
  lifecycle.register(bus);
  if (outbox) lifecycle.register(outbox.relay);
  if (!options.mcpStdio) {
    services.forEach((service, index) => {
      if (extensions[service.name]?.transports === false) return;
      const context = contexts.get(service.name)!;
      const extension = extensions[service.name];
      const component = httpComponent({
        service,
        context,
        caller: extension?.caller,
        log: serviceLog(service),
        // One process, several services: each gets the next port (after PORT + portOffset).
        port: config.PORT === 0 ? 0 : config.PORT + (options.portOffset ?? 0) + index,
        host: config.HOST,
        production: config.NODE_ENV === 'production',
        registry: metrics.registry,
        tracer,
        mount: async (app) => {
          await mountMcpFor(app, {
            service,
            context,
            log: serviceLog(service),
            queue,
            production: config.NODE_ENV === 'production',
            allowedOrigins: config.MCP_ALLOWED_ORIGINS,
            queueAdmin: config.MCP_QUEUE_ADMIN,
            adminToken: config.MCP_ADMIN_TOKEN,
          });
          // EXTENSIONS_MOUNT_BEFORE_LISTEN: the bus and queue have started (they come first).
          await extension?.routes?.(app, {
            config,
            log: serviceLog(service),
            transport: bus!.transport,
            queue: queue?.queue,
            health,
            instance,
            context,
          });
        },
      });
      http.set(service.name, component);
      lifecycle.register(component);
    });
    lifecycle.register({ name: 'announce-ports', start: () => void refreshPorts() });
  }

  // COMPONENTS_START_LAST (process-components.ts): after every transport, so they stop first.
  if (options.components) {
    const created = options.components.create({
      config,
      log,
      metrics,
      health,
      instance,
      transport: () => bus!.transport,
      tracer,
    });
    for (const component of Array.isArray(created) ? created : [created as Component]) {
      lifecycle.register(component);
    }
  }

  let stdioClosed: Promise<void> | undefined;
  if (options.mcpStdio) {
    const service = main;
    let stdio: McpStdio | undefined;
    let closed!: () => void;
    stdioClosed = new Promise<void>((resolve) => {
      closed = resolve;
    });
    lifecycle.register({
      name: 'mcp:stdio',
      async start() {
        stdio = await serveMcpStdio(service, {
          log,
          production: config.NODE_ENV === 'production',
          jobs: queue ? queueJobsPort(queue) : undefined,
          createContext: (base) =>
            contexts.get(service.name)!({
              transport: 'mcp',
              requestId: base.requestId,
              log: base.log,
              signal: base.signal,
            }),
        });
        void stdio.closed.then(closed, closed);
      },
      async stop() {
        await stdio?.close();
      },
    });
  }

  return {
    lifecycle,
    log,
    metrics,
    health,
    database,
    queue,
    http,
    bus,
    stdioClosed,
    context(name) {
      const factory = contexts.get(name);
      if (!factory)
        throw runtimeErrors.create('BOSUN_RUNTIME_UNKNOWN_SERVICE', `No service "${name}" in this process.`);
      return factory;
    },
    start: () => lifecycle.start(),
    stop: () => lifecycle.stop(),
  };
}
