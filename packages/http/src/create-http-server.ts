/**
 * createHttpServer(): a Fastify app that serves every operation with an `http` route,
 * `/openapi.json` and `/docs`, with problem+json errors, request ids, access logs,
 * Prometheus metrics and a graceful drain.
 *
 * Invariants:
 * - INPUT_IS_VALIDATED / OUTPUT_IS_VALIDATED: handlers only call core's invoke(); Fastify's
 *   own validator is never used, so HTTP answers the same codes as every transport.
 * - NO_500_FOR_CLIENT_FAULTS: see problem-reply.ts; unknown routes are BOSUN_HTTP_ROUTE_NOT_FOUND.
 * - READY_GATES_INTAKE: once drain() or close() starts, a new request gets 503
 *   BOSUN_UNAVAILABLE with `connection: close`; requests already in flight finish.
 * - REQUEST_ID_IS_SAFE: see request-id.ts; every response carries the id.
 * - LONG_LIVED_ROUTES_ARE_NOT_IN_FLIGHT: routes with `config: { longLived: true }` (server-sent
 *   event streams) are refused while draining like any route, but drain does not wait for them;
 *   whoever owns them closes them (mountMcp in a preClose hook).
 * Not here: listening policy (the runtime picks port and host), auth (createContext's job).
 */
import {
  type AnyService,
  coreErrors,
  type DrainResult,
  type HttpMethod,
  type InFlightTracker,
  invoke,
  trackInFlight,
} from '@bosun/core';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { HttpContextFactory } from './context-factory.js';
import { httpErrors } from './http.errors.js';
import { createHttpMetrics } from './http-metrics.js';
import { buildOpenApiDocument, type OpenApiOptions } from './openapi/build-openapi.js';
import { httpError, sendProblem } from './problem-reply.js';
import { resolveRequestId } from './request-id.js';
import { routeInput } from './route-input.js';

export interface HttpServerOptions {
  service: AnyService;
  /** The service logger; each request logs through a child bound to its request id. */
  log: Logger;
  /** Builds each request's OperationContext (config, db, jobs, events, caller). */
  createContext: HttpContextFactory;
  /** Hide details of 5xx errors. Default false. */
  production?: boolean;
  /** Largest accepted body in bytes. Default 1 MiB. */
  bodyLimit?: number;
  /** Header that carries the request id in and out. Default `x-request-id`. */
  requestIdHeader?: string;
  /** prom-client registry for request metrics (the service's). Default: no metrics. */
  metricsRegistry?: Registry;
  /** Serve `/openapi.json` and `/docs`. Default true. */
  docs?: boolean;
  openapi?: OpenApiOptions;
}

export interface HttpServer {
  /** Add more routes (e.g. mountMcp) before listen(). */
  readonly app: FastifyInstance;
  /** Starts listening; resolves with the address. Host default `0.0.0.0`; port 0 picks one. */
  listen(options: { port: number; host?: string }): Promise<string>;
  /** Stops intake (READY_GATES_INTAKE) and waits for in-flight requests until `signal` aborts. */
  drain(signal?: AbortSignal): Promise<DrainResult>;
  /** Drains nothing further: stops intake and closes the listener and idle connections. */
  close(): Promise<void>;
  readonly inFlight: InFlightTracker;
  readonly draining: boolean;
}

/** Routes that belong to the chassis, not to an operation (`/mcp` when @bosun/mcp is mounted). */
export const INFRA_ROUTES = ['/openapi.json', '/docs', '/mcp'] as const;

/**
 * @example
 * const http = createHttpServer({ service: hello, log, createContext: (base) => ({ ...base, ...deps }) });
 * await http.listen({ port: 3000 });
 * lifecycle.register({ name: 'http', drain: (s) => http.drain(s), stop: () => http.close() });
 */
export function createHttpServer(options: HttpServerOptions): HttpServer {
  const { service, production = false } = options;
  const header = (options.requestIdHeader ?? 'x-request-id').toLowerCase();
  const inFlight = trackInFlight();
  const metrics = createHttpMetrics(options.metricsRegistry);
  const logs = new WeakMap<FastifyRequest, Logger>();
  const started = new WeakMap<FastifyRequest, bigint>();
  const ends = new WeakMap<FastifyRequest, () => void>();
  let draining = false;

  const app = Fastify({
    logger: false,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    requestIdHeader: false,
    genReqId: (req) => resolveRequestId(req.headers[header]),
    return503OnClosing: false,
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
  });
  // Only JSON bodies: anything else is BOSUN_UNSUPPORTED_MEDIA_TYPE, not a string the schema rejects.
  app.removeContentTypeParser('text/plain');

  const requestLog = (req: FastifyRequest) => logs.get(req) ?? options.log.child({ requestId: req.id });
  const problem = (req: FastifyRequest, reply: FastifyReply, error: unknown) => {
    const err = httpError(error);
    const log = requestLog(req);
    if (err.status >= 500) log.error({ err, code: err.code }, 'request failed');
    else log.debug({ code: err.code, detail: err.detail }, 'request rejected');
    return sendProblem(reply, err, { requestId: req.id, production });
  };

  app.addHook('onRequest', async (req, reply) => {
    started.set(req, process.hrtime.bigint());
    logs.set(req, options.log.child({ requestId: req.id }));
    reply.header(header, req.id);
    if (draining) {
      reply.header('connection', 'close');
      const err = coreErrors.create('BOSUN_UNAVAILABLE', 'This instance is draining; retry against another.');
      return sendProblem(reply, err, { requestId: req.id, production });
    }
    // LONG_LIVED_ROUTES_ARE_NOT_IN_FLIGHT: a route with `config: { longLived: true }` (MCP's SSE
    // stream) stays open until the client leaves, so drain would never see idle if it counted.
    if ((req.routeOptions.config as { longLived?: boolean } | undefined)?.longLived) return;
    // Ended by whichever comes first: onResponse, onRequestAbort or the socket closing (end is idempotent).
    const end = inFlight.begin(`${req.method} ${req.url}`);
    reply.raw.once('close', end);
    ends.set(req, end);
  });
  app.addHook('onSend', async (_req, reply, payload) => {
    if (draining) reply.header('connection', 'close');
    return payload;
  });
  const finish = async (req: FastifyRequest, reply: FastifyReply) => {
    ends.get(req)?.();
    const route = req.routeOptions.url ?? 'unmatched';
    const status = reply.statusCode;
    const begin = started.get(req);
    const seconds = begin === undefined ? 0 : Number(process.hrtime.bigint() - begin) / 1e9;
    metrics.observe({ method: req.method, route, status }, seconds);
    requestLog(req).info(
      { method: req.method, url: req.url, route, status, durationMs: Math.round(seconds * 1e6) / 1e3 },
      'request',
    );
  };
  app.addHook('onResponse', finish);
  app.addHook('onRequestAbort', async (req) => ends.get(req)?.());

  app.setErrorHandler((error, req, reply) => problem(req, reply, error));
  app.setNotFoundHandler((req, reply) =>
    problem(
      req,
      reply,
      httpErrors.create('BOSUN_HTTP_ROUTE_NOT_FOUND', `No route for ${req.method} ${req.url.split('?')[0]}.`),
    ),
  );

  for (const [name, op] of Object.entries(service.operations)) {
    if (!op.http) continue;
    const [method, url] = op.http.split(' ') as [HttpMethod, string];
    app.route({
      method,
      url,
      handler: async (req, reply) => {
        const controller = new AbortController();
        reply.raw.once('close', () => {
          if (!reply.raw.writableFinished) controller.abort();
        });
        const traceparent = req.headers.traceparent;
        const ctx = await options.createContext({
          requestId: req.id,
          transport: 'http',
          log: requestLog(req),
          signal: controller.signal,
          request: req,
          ...(typeof traceparent === 'string' ? { traceparent } : {}),
        });
        const input = routeInput({ method, params: req.params, query: req.query, body: req.body });
        const output = await invoke(service, name, input, ctx);
        if (output === undefined) return reply.code(204).send();
        return reply
          .code(200)
          .header('content-type', 'application/json; charset=utf-8')
          .send(JSON.stringify(output));
      },
    });
  }

  if (options.docs !== false) {
    const document = buildOpenApiDocument(service, options.openapi);
    const body = JSON.stringify(document);
    app.get('/openapi.json', async (_req, reply) =>
      reply.header('content-type', 'application/json; charset=utf-8').send(body),
    );
    app.register(fastifySwagger, { mode: 'static', specification: { document: document as never } });
    app.register(fastifySwaggerUi, { routePrefix: '/docs' });
  }

  return {
    app,
    get inFlight() {
      return inFlight;
    },
    get draining() {
      return draining;
    },
    async listen({ port, host = '0.0.0.0' }) {
      return app.listen({ port, host });
    },
    async drain(signal) {
      draining = true;
      const idle = await inFlight.waitIdle(signal);
      return idle ? {} : { abandoned: inFlight.labels() };
    },
    async close() {
      draining = true;
      await app.close();
    },
  };
}
