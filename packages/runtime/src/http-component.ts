/**
 * A service's HTTP surface as a lifecycle component: its REST routes, OpenAPI document
 * and docs (from @bosun/http), plus whatever the runtime mounts on the same Fastify app
 * before it listens (MCP at /mcp).
 *
 * Invariant READY_GATES_INTAKE: drain() refuses new requests with 503 BOSUN_UNAVAILABLE
 * and waits for in-flight ones until the drain deadline; what is still running then is
 * reported as abandoned by route.
 * Invariant LAZY_STAYS_LAZY (service-context.ts): a request's child logger and AbortSignal
 * are made only when its handler reads them.
 */
import type { AnyService, Component } from '@bosun/core';
import { createHttpServer, type HttpServer } from '@bosun/http';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { ContextFactory, ContextHints } from './service-context.js';

/** @bosun/http makes a request's AbortSignal on first read (HttpContextBase.signal). */
const HTTP_HINTS: ContextHints = { lazySignal: true };

export interface HttpComponent extends Component {
  readonly server: HttpServer;
  /** `http://host:port` once listening. */
  readonly url: string | undefined;
}

export interface HttpComponentOptions {
  service: AnyService;
  context: ContextFactory;
  log: Logger;
  port: number;
  host: string;
  production: boolean;
  registry?: Registry;
  /** Extra routes on the same app (e.g. MCP), added before listening. */
  mount?: (app: FastifyInstance) => Promise<void> | void;
}

export function httpComponent(options: HttpComponentOptions): HttpComponent {
  const server = createHttpServer({
    service: options.service,
    log: options.log,
    production: options.production,
    metricsRegistry: options.registry,
    // The base is handed on as it is: its logger and signal are getters, made only if the
    // handler reads them (LAZY_STAYS_LAZY); copying them into a new object would read both.
    createContext: (base) => options.context(base, HTTP_HINTS),
  });
  let url: string | undefined;
  return {
    name: `http:${options.service.name}`,
    server,
    get url() {
      return url;
    },
    async start() {
      await options.mount?.(server.app);
      await server.listen({ port: options.port, host: options.host });
      const address = server.app.server.address();
      const port = typeof address === 'object' && address ? address.port : options.port;
      const host = options.host === '0.0.0.0' || options.host === '::' ? 'localhost' : options.host;
      url = `http://${host}:${port}`;
    },
    drain: (signal) => server.drain(signal),
    stop: () => server.close(),
  };
}
