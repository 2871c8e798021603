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
 * - SPAN_PER_REQUEST: with a `tracer`, each operation request runs in a server span
 *   `<METHOD> <route>` (child of the request's traceparent); the context's traceparent is the
 *   span's, and the span ends when the response closes, with its status and error code.
 *   Without one, no span code runs (TRACING_OFF_COSTS_NOTHING).
 * - LONG_LIVED_ROUTES_ARE_NOT_IN_FLIGHT: routes with `config: { longLived: true }` (server-sent
 *   event streams) are refused while draining like any route, but drain does not wait for them;
 *   whoever owns them closes them (mountMcp in a preClose hook).
 * Not here: listening policy (the runtime picks port and host), auth (createContext's job).
 */

import type { ServerResponse } from 'node:http';
import {
  type AnyService,
  coreErrors,
  type DrainResult,
  type HttpMethod,
  type InFlightTracker,
  invoke,
  type OperationContext,
  type SpanHandle,
  type SpanTracer,
  trackInFlight,
} from '@bosun/core';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { HttpContextBase, HttpContextFactory } from './context-factory.js';
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
  /** Starts a server span per operation request (SPAN_PER_REQUEST). Default: no spans. */
  tracer?: SpanTracer;
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

/** The one per-request state slot (a Fastify request decoration, null until onRequest). */
const STATE = Symbol('bosun.http.request');
type WithState = FastifyRequest & { [STATE]: RequestState | null };

/**
 * Everything the transport keeps for one request, in one object: no WeakMaps, no closure per
 * request, and the child logger and AbortController made only when someone asks for them.
 */
class RequestState {
  /** Ends the in-flight entry; undefined for long-lived routes and once ended. */
  end: (() => void) | undefined = undefined;
  /** The client went away before the response finished. */
  gone = false;
  /** The request's server span, when tracing. */
  span: SpanHandle | undefined = undefined;
  private log: Logger | undefined = undefined;
  private controller: AbortController | undefined = undefined;

  constructor(
    /** performance.now() at onRequest: a double, where hrtime.bigint() allocates a BigInt. */
    readonly started: number,
    readonly req: FastifyRequest,
    private readonly res: ServerResponse,
    private readonly parentLog: Logger,
    /** Metrics and the access log, run once the response has finished. */
    readonly observer: (state: RequestState) => void,
  ) {}

  /** The child logger bound to the request id, made on first use. */
  logger(): Logger {
    if (this.log === undefined) this.log = this.parentLog.child({ requestId: this.req.id });
    return this.log;
  }

  /** The pino logger to ask about levels without making a child. */
  levelSource(): Logger {
    return this.log ?? this.parentLog;
  }

  /** The response's status code, once sent. */
  get status(): number {
    return this.res.statusCode;
  }

  /** Aborts when the client goes away before the response; made on first read, aborted if it already has. */
  signal(): AbortSignal {
    if (this.controller === undefined) {
      this.controller = new AbortController();
      if (this.gone) this.controller.abort();
    }
    return this.controller.signal;
  }

  endInFlight(): void {
    const end = this.end;
    if (end === undefined) return;
    this.end = undefined;
    end();
  }

  /** Runs from the one `close` listener (response finished or connection lost). */
  onClose(): void {
    this.endInFlight();
    if (!this.res.writableFinished) {
      this.gone = true;
      this.controller?.abort();
    }
    const span = this.span;
    if (span !== undefined) {
      this.span = undefined;
      span.setAttribute('http.response.status_code', this.res.statusCode);
      span.end();
    }
  }
}

/** Where the response's listeners find their request's state (shared functions, no closure per request). */
const RES_STATE = Symbol('bosun.http.responseState');
type ResponseWithState = ServerResponse & { [RES_STATE]?: RequestState };
function onResponseClose(this: ResponseWithState): void {
  this[RES_STATE]?.onClose();
}
function onResponseFinish(this: ResponseWithState): void {
  const state = this[RES_STATE];
  if (state === undefined) return;
  state.endInFlight();
  state.observer(state);
}

/** Where a context base finds its request's state (a symbol: `{ ...base }` copies it along, harmlessly). */
const BASE_STATE = Symbol('bosun.http.state');
type BaseWithState = HttpContextBase & { [BASE_STATE]: RequestState };
/**
 * Own enumerable getters (so `{ ...base }` still carries them) shared by every base: the
 * child logger and the AbortSignal are made only if the context factory reads them.
 * defineProperty with one shared descriptor costs ~0.2 us; an object literal with getters ~1 us.
 */
const LOG_GETTER: PropertyDescriptor = {
  get(this: BaseWithState) {
    return this[BASE_STATE].logger();
  },
  enumerable: true,
  configurable: true,
};
const SIGNAL_GETTER: PropertyDescriptor = {
  get(this: BaseWithState) {
    return this[BASE_STATE].signal();
  },
  enumerable: true,
  configurable: true,
};

function contextBase(request: FastifyRequest, state: RequestState): HttpContextBase {
  const traceparent = state.span === undefined ? request.headers.traceparent : state.span.traceparent;
  // One shape for every request: traceparent is always a key, undefined when absent.
  const base = {
    requestId: request.id,
    transport: 'http',
    request,
    traceparent: typeof traceparent === 'string' ? traceparent : undefined,
    [BASE_STATE]: state,
  } as unknown as BaseWithState;
  Object.defineProperty(base, 'log', LOG_GETTER);
  Object.defineProperty(base, 'signal', SIGNAL_GETTER);
  return base;
}

/** SPAN_PER_REQUEST: the server span of one operation request, child of its traceparent. */
function startRequestSpan(
  tracer: SpanTracer,
  name: string,
  method: string,
  route: string,
  req: FastifyRequest,
  started: number,
): SpanHandle {
  const header = req.headers.traceparent;
  // Started at onRequest's clock reading: the span covers body parsing too, not just the handler.
  return tracer.start(
    name,
    'server',
    typeof header === 'string' ? header : undefined,
    {
      'http.request.method': method,
      'http.route': route,
      'url.path': req.url.split('?')[0]!,
      'bosun.request_id': req.id,
    },
    started,
  );
}

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
  const timed = options.metricsRegistry !== undefined;
  const tracer = options.tracer;
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
  app.decorateRequest(STATE, null);

  const stateOf = (req: FastifyRequest) => (req as WithState)[STATE];
  const requestLog = (req: FastifyRequest) =>
    stateOf(req)?.logger() ?? options.log.child({ requestId: req.id });
  const problem = (req: FastifyRequest, reply: FastifyReply, error: unknown) => {
    const err = httpError(error);
    stateOf(req)?.span?.fail(err);
    const log = requestLog(req);
    if (err.status >= 500) log.error({ err, code: err.code }, 'request failed');
    else log.debug({ code: err.code, detail: err.detail }, 'request rejected');
    return sendProblem(reply, err, { requestId: req.id, production });
  };

  /** Metrics and the access log for a finished response (BOUNDED_LABELS: the route template). */
  const observe = (state: RequestState) => {
    const req = state.req;
    const logged = state.levelSource().isLevelEnabled('info');
    if (!timed && !logged) return;
    const route = (req.is404 ? undefined : req.routeOptions.url) ?? 'unmatched';
    const status = state.status;
    const seconds = (performance.now() - state.started) / 1e3;
    metrics.observe({ method: req.method, route, status }, seconds);
    if (logged) {
      state
        .logger()
        .info(
          { method: req.method, url: req.url, route, status, durationMs: Math.round(seconds * 1e6) / 1e3 },
          'request',
        );
    }
  };

  // Callback-style hooks: no promise per hook per request. No onResponse hook: with one, Fastify
  // adds a closure, two listeners and two clock reads to every request; metrics and access logs
  // run from a shared `finish` listener, added only when there is something to record.
  app.addHook('onRequest', function onRequestHook(req, reply, done) {
    const res = reply.raw as ResponseWithState;
    const state = new RequestState(performance.now(), req, res, options.log, observe);
    (req as WithState)[STATE] = state;
    res[RES_STATE] = state;
    reply.header(header, req.id);
    // Ends the in-flight entry whichever way the response ends (finished or connection lost).
    res.on('close', onResponseClose);
    if (timed || options.log.isLevelEnabled('info')) res.on('finish', onResponseFinish);
    if (draining) {
      reply.header('connection', 'close');
      const err = coreErrors.create('BOSUN_UNAVAILABLE', 'This instance is draining; retry against another.');
      sendProblem(reply, err, { requestId: req.id, production });
      return; // answered: Fastify skips the rest of the lifecycle
    }
    state.end = inFlight.begin(`${req.method} ${req.url}`);
    done();
  });
  // LONG_LIVED_ROUTES_ARE_NOT_IN_FLIGHT: a route with `config: { longLived: true }` (MCP's SSE
  // stream) stays open until the client leaves, so drain would never see idle if it counted. Its
  // own onRequest hook, right after the global one, ends the entry: no route lookup per request.
  const endLongLived = (req: FastifyRequest, _reply: FastifyReply, done: () => void) => {
    stateOf(req)?.endInFlight();
    done();
  };
  app.addHook('onRoute', (route) => {
    if (!(route.config as { longLived?: boolean } | undefined)?.longLived) return;
    const own = route.onRequest;
    route.onRequest =
      own === undefined ? [endLongLived] : [endLongLived, ...(Array.isArray(own) ? own : [own])];
  });
  app.addHook('onSend', function onSendHook(_req, reply, payload, done) {
    if (draining) reply.header('connection', 'close');
    done(null, payload);
  });

  app.setErrorHandler((error, req, reply) => problem(req, reply, error));
  app.setNotFoundHandler((req, reply) =>
    problem(
      req,
      reply,
      httpErrors.create('BOSUN_HTTP_ROUTE_NOT_FOUND', `No route for ${req.method} ${req.url.split('?')[0]}.`),
    ),
  );

  /**
   * Runs the operation and answers. Not an async function: the route handler returns nothing
   * and replies from invoke's settlement, which saves the handler's own promise, Fastify's
   * `then` on it and an async resume per request. Never throws: every failure is a problem reply.
   */
  const run = (
    req: FastifyRequest,
    reply: FastifyReply,
    state: RequestState,
    name: string,
    method: HttpMethod,
    ctx: OperationContext,
  ): void => {
    try {
      // invoke() does not force a lazy signal (LAZY_SIGNAL_IS_THE_CALLERS): refuse here what it would.
      if (state.gone)
        throw coreErrors.create('BOSUN_UNAVAILABLE', 'The request was cancelled before it started.');
      const input = routeInput({ method, params: req.params, query: req.query, body: req.body });
      invoke(service, name, input, ctx).then(
        (output) => {
          try {
            if (output === undefined) reply.code(204).send();
            else
              reply
                .code(200)
                .header('content-type', 'application/json; charset=utf-8')
                .send(JSON.stringify(output));
          } catch (error) {
            problem(req, reply, error);
          }
        },
        (error: unknown) => problem(req, reply, error),
      );
    } catch (error) {
      problem(req, reply, error);
    }
  };

  for (const [name, op] of Object.entries(service.operations)) {
    if (!op.http) continue;
    const [method, url] = op.http.split(' ') as [HttpMethod, string];
    const spanName = `${method} ${url}`;
    app.route({
      method,
      url,
      handler: function operationRoute(req, reply) {
        const state = stateOf(req)!;
        if (tracer !== undefined)
          state.span = startRequestSpan(tracer, spanName, method, url, req, state.started);
        const made = options.createContext(contextBase(req, state)); // a sync throw: Fastify hands it to the error handler
        if (made instanceof Promise) {
          made.then(
            (ctx) => run(req, reply, state, name, method, ctx),
            (error: unknown) => problem(req, reply, error),
          );
        } else {
          run(req, reply, state, name, method, made);
        }
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
