/**
 * What a service's `main.ts` may add to the process beyond its definition, per service
 * name: extra HTTP routes on the service's own Fastify app (a dashboard, a webhook
 * receiver), how REST callers are identified, whether the process needs the job
 * queue although no service declares jobs (a service that administers the queue), and
 * whether the runtime serves the service at all (`transports: false`: a component does).
 *
 * Runtime-level rather than definition-level so definitions stay free of transports:
 * core knows nothing of Fastify. Not here: MCP auth (mountMcp's verifyToken), RPC auth
 * (CALLER_IS_VERIFIED, bus-component.ts).
 *
 * Invariant EXTENSIONS_MOUNT_BEFORE_LISTEN: `routes` runs inside the service's HTTP
 * component start, after the database, queue and bus have started and before the port
 * listens, so every route is served by the same drain (READY_GATES_INTAKE) as the REST routes.
 * Long-lived routes (server-sent events) must set `config: { longLived: true }` and close
 * their streams in an `onClose`/`preClose` hook of the app.
 */
import type { Transport } from '@bosun/bus';
import type { Caller, HealthServer, Logger } from '@bosun/core';
import type { Queue } from '@bosun/queue';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppConfig } from './app-config.js';
import type { ContextFactory } from './service-context.js';

/** What `routes` can use: everything is started when it runs. */
export interface ExtensionParts {
  config: AppConfig;
  log: Logger;
  /** The process's bus transport (NATS or in-process). */
  transport: Transport;
  /** The process's job queue; undefined when no service needs one (see `queue`). */
  queue: Queue | undefined;
  /** The process's health server (one per process, shared by every service in it). */
  health: HealthServer;
  /** This process's instance id, as its heartbeats announce it. */
  instance: string;
  /** Builds an OperationContext of this service, to run its own operations through core's invoke(). */
  context: ContextFactory;
}

export interface ServiceExtension {
  /** Start the database and job queue even when no service declares migrations, jobs or schedules. */
  queue?: boolean;
  /**
   * `false`: a process component serves this service, not the runtime (SERVED_BY_A_COMPONENT):
   * no REST/MCP server, RPC server, event consumers, heartbeat or service key of its own. The
   * definition still names the process (logger, metrics, spans) and the bus transport still
   * starts for the components. The gateway's own process: its edge listens on PORT and beats
   * (with its own key) as `gateway`, so a second heartbeat would announce a second key.
   */
  transports?: false;
  /**
   * Identifies the caller of each REST request of this service (becomes `ctx.caller`).
   * Default: nobody — the gateway is the public edge. Throw a BosunError to refuse.
   */
  caller?: (request: FastifyRequest) => Caller | undefined | Promise<Caller | undefined>;
  /** Adds routes to the service's Fastify app (EXTENSIONS_MOUNT_BEFORE_LISTEN). */
  routes?: (app: FastifyInstance, parts: ExtensionParts) => void | Promise<void>;
}

/** Per service name. */
export type ServiceExtensions = Readonly<Record<string, ServiceExtension>>;
