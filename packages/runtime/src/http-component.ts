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
import type { AnyService, Caller, Component, SpanTracer } from '@bosun/core';
import { createHttpServer, type HttpServer } from '@bosun/http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
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
  /** One server span per operation request (@bosun/http's SPAN_PER_REQUEST); undefined: none. */
  tracer?: SpanTracer;
  /** Identifies each REST request's caller (a ServiceExtension's `caller`); default: nobody. */
  caller?: (request: FastifyRequest) => Caller | undefined | Promise<Caller | undefined>;
  /** Extra routes on the same app (e.g. MCP), added before listening. */
  mount?: (app: FastifyInstance) => Promise<void> | void;
}

export function httpComponent(options: HttpComponentOptions): HttpComponent {
  const identify = options.caller;
  const server = createHttpServer({
    service: options.service,
    log: options.log,
    production: options.production,
    metricsRegistry: options.registry,
    tracer: options.tracer,
    // A caller hook (rare: the registry) needs the request, so that path copies the base; the
    // common path hands the base on as it is: its logger and signal are getters, made only if
    // the handler reads them (LAZY_STAYS_LAZY); copying them would read both.
    createContext: identify
      ? async (base) =>
          options.context({
            transport: 'http',
            requestId: base.requestId,
            log: base.log,
            signal: base.signal,
            traceparent: base.traceparent,
            caller: (await identify(base.request)) ?? {},
          })
      : (base) => options.context(base, HTTP_HINTS),
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
