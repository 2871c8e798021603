/**
 * The gateway's Fastify app: helmet, CORS for the configured origins, a rate limit on every
 * route, request ids, problem+json errors, and the three surfaces — REST under /api (with
 * /openapi.json and /docs), GraphQL at /graphql, MCP at /mcp — all reading one live catalog.
 *
 * Invariants:
 * - RATE_LIMITED_IS_CODED: past RATE_LIMIT_MAX requests per client IP per window, 429
 *   BOSUN_RATE_LIMITED (problem+json, `retry-after`), on every surface.
 * - READY_GATES_INTAKE: once drain() starts, new requests get 503 BOSUN_UNAVAILABLE with
 *   `connection: close`; requests in flight finish until the drain deadline. The event stream is
 *   long-lived (LONG_LIVED_ROUTES_ARE_NOT_IN_FLIGHT): drain does not wait for it but ends every
 *   stream when it starts and again from preClose (STREAMS_END_ON_DRAIN).
 * - REQUEST_ID_IS_SAFE (@bosun/http): the id is taken from `x-request-id` when it is safe,
 *   echoed on every response, and passed to the callee over the bus.
 * - BOUNDED_LABELS (@bosun/http metrics): `route` is the catalog's route template for /api, the
 *   Fastify route otherwise, `unmatched` for anything else — never the raw URL.
 * - NO_CDN: /docs serves Swagger UI from local files; GraphiQL is off, because mercurius'
 *   GraphiQL loads its scripts from unpkg.com.
 */

import type { Transport } from '@bosun/bus';
import { coreErrors, type DrainResult, type Logger, trackInFlight } from '@bosun/core';
import { createHttpMetrics, httpError, mountDocsUi, resolveRequestId, sendProblem } from '@bosun/http';
import fastifyCors from '@fastify/cors';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import mercurius from 'mercurius';
import type { Access } from './access.js';
import type { Catalog } from './catalog.js';
import { createEventFanOut } from './event-fan-out.js';
import type { Forwarder } from './forwarder.js';
import { buildGraphqlSchema } from './graphql-schema.js';
import { registerMcpEndpoint } from './mcp-endpoint.js';
import { buildMergedOpenApi } from './merged-openapi.js';
import { matchedRoute, registerRestRoutes } from './rest-routes.js';
import { createSseStreams } from './sse-streams.js';
import { registerStreamRoute } from './stream-route.js';
import { createTopicPolicy, type TopicRule } from './stream-topics.js';

/** The event stream's settings (GATEWAY_STREAM_* and GATEWAY_JOBS_SERVICE). */
export interface StreamSettings {
  transport: () => Transport;
  topics: readonly TopicRule[];
  maxStreams: number;
  maxPerUser: number;
  heartbeatMs: number;
  jobsService: string;
  jobPollMs: number;
}

export interface EdgeServerOptions {
  catalog: Catalog;
  access: Access;
  forwarder: Forwarder;
  log: Logger;
  production: boolean;
  corsOrigins: string[];
  rateLimit: { max: number; windowMs: number };
  version: string;
  bodyLimit?: number;
  /** Take the client IP from `x-forwarded-for` (a proxy in front). Default false. */
  trustProxy?: boolean;
  /** prom-client registry for `bosun_http_requests_total` and `bosun_http_request_duration_seconds`. */
  metricsRegistry?: Parameters<typeof createHttpMetrics>[0];
  /** Absent: no /stream route. */
  stream?: StreamSettings;
}

export interface EdgeServer {
  readonly app: FastifyInstance;
  listen(options: { port: number; host: string }): Promise<string>;
  drain(signal?: AbortSignal): Promise<DrainResult>;
  close(): Promise<void>;
}

export async function createEdgeServer(options: EdgeServerOptions): Promise<EdgeServer> {
  const { catalog, production, log } = options;
  const inFlight = trackInFlight();
  const metrics = createHttpMetrics(options.metricsRegistry);
  let draining = false;

  const app = Fastify({
    logger: false,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    requestIdHeader: false,
    genReqId: (req) => resolveRequestId(req.headers['x-request-id']),
    return503OnClosing: false,
    trustProxy: options.trustProxy ?? false,
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
  });
  app.removeContentTypeParser('text/plain');

  const problem = (req: FastifyRequest, error: unknown) => {
    const err = httpError(error);
    if (err.status >= 500) log.error({ err, code: err.code, requestId: req.id }, 'request failed');
    else log.debug({ code: err.code, requestId: req.id }, 'request refused');
    return err;
  };
  app.setErrorHandler((error, req, reply) => {
    const err = problem(req, error);
    if (err.status === 401) reply.header('www-authenticate', 'Bearer');
    return sendProblem(reply, err, { requestId: req.id, production });
  });
  app.setNotFoundHandler((req, reply) =>
    sendProblem(
      reply,
      coreErrors.create('BOSUN_NOT_FOUND', `No route for ${req.method} ${req.url.split('?')[0]}.`),
      { requestId: req.id, production },
    ),
  );

  app.addHook('onRequest', (req, reply, done) => {
    reply.header('x-request-id', req.id);
    if (draining) {
      reply.header('connection', 'close');
      sendProblem(reply, coreErrors.create('BOSUN_UNAVAILABLE', 'The gateway is draining; retry shortly.'), {
        requestId: req.id,
        production,
      });
      return;
    }
    // LONG_LIVED_ROUTES_ARE_NOT_IN_FLIGHT: a stream open until the client leaves would hold drain to its deadline.
    const longLived = (req.routeOptions.config as { longLived?: boolean } | undefined)?.longLived === true;
    const end = longLived ? () => {} : inFlight.begin(`${req.method} ${req.url.split('?')[0]}`);
    const started = process.hrtime.bigint();
    // The raw close also fires for hijacked replies (MCP), which skip Fastify's onResponse.
    reply.raw.once('close', () => {
      end();
      const template = req.routeOptions.url;
      const route = matchedRoute(req) ?? (template && template !== '/api/*' ? template : 'unmatched');
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.observe({ method: req.method, route, status: reply.raw.statusCode }, seconds);
    });
    done();
  });

  await app.register(fastifyHelmet, {
    // Swagger UI's own script and styles are local files; its initializer is an external script too.
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        // Without TLS (development) an upgrade would send the docs' own assets to https and break them.
        upgradeInsecureRequests: production ? [] : null,
      },
    },
  });
  await app.register(fastifyCors, {
    origin: options.corsOrigins.length > 0 ? options.corsOrigins : false,
    credentials: false,
    exposedHeaders: ['x-request-id', 'retry-after'],
  });
  await app.register(fastifyRateLimit, {
    global: true,
    max: options.rateLimit.max,
    timeWindow: options.rateLimit.windowMs,
    errorResponseBuilder: (_req, context) =>
      coreErrors.create(
        'BOSUN_RATE_LIMITED',
        `More than ${context.max} requests in ${Math.round(options.rateLimit.windowMs / 1000)} s; retry in ${context.after}.`,
      ),
  });

  registerRestRoutes(app, options);

  let built = catalog.revision;
  let document = buildMergedOpenApi(catalog.entries(), { version: options.version });
  let body = JSON.stringify(document);
  app.get('/openapi.json', async (_req, reply) =>
    reply.header('content-type', 'application/json; charset=utf-8').send(body),
  );
  // DOCUMENT_FOLLOWS_THE_CATALOG: the UI reads the live document, not the one at registration.
  await mountDocsUi(app, { routePrefix: '/docs', document: () => document });

  const graphqlOptions = {
    revision: () => catalog.revision,
    access: options.access,
    forwarder: options.forwarder,
    production,
  };
  await app.register(mercurius, {
    schema: buildGraphqlSchema(catalog.entries(), graphqlOptions),
    path: '/graphql',
    graphiql: false,
    // A field that failed is a GraphQL error with data: HTTP 200, the code in extensions.
    errorFormatter: (execution, context) => {
      const formatted = mercurius.defaultErrorFormatter(execution, context);
      return { statusCode: execution.data ? 200 : formatted.statusCode, response: formatted.response };
    },
  });

  registerMcpEndpoint(app, {
    catalog,
    access: options.access,
    forwarder: options.forwarder,
    production,
    allowedOrigins: options.corsOrigins,
    version: options.version,
  });

  const stream = options.stream ? mountStream(app, options, options.stream) : undefined;

  await app.ready();
  const rebuild = () => {
    if (catalog.revision === built) return;
    built = catalog.revision;
    document = buildMergedOpenApi(catalog.entries(), { version: options.version });
    body = JSON.stringify(document);
    try {
      app.graphql.replaceSchema(buildGraphqlSchema(catalog.entries(), graphqlOptions));
    } catch (error) {
      log.error({ err: error }, 'the GraphQL schema could not be rebuilt; keeping the previous one');
    }
  };
  const unsubscribe = catalog.onChange(rebuild);
  // The catalog may have changed while the plugins registered, before anyone listened.
  rebuild();

  return {
    app,
    listen: ({ port, host }) => app.listen({ port, host }),
    async drain(signal) {
      draining = true;
      stream?.streams.closeAll('draining');
      const idle = await inFlight.waitIdle(signal);
      return idle ? {} : { abandoned: inFlight.labels() };
    },
    async close() {
      draining = true;
      unsubscribe();
      await app.close();
      await stream?.fanOut.close();
    },
  };
}

function mountStream(app: FastifyInstance, options: EdgeServerOptions, settings: StreamSettings) {
  const policy = createTopicPolicy(settings.topics);
  const streams = createSseStreams({
    maxStreams: settings.maxStreams,
    maxPerUser: settings.maxPerUser,
    heartbeatMs: settings.heartbeatMs,
  });
  const fanOut = createEventFanOut({ transport: settings.transport, policy, log: options.log });
  registerStreamRoute(app, {
    catalog: options.catalog,
    access: options.access,
    forwarder: options.forwarder,
    streams,
    fanOut,
    policy,
    jobsService: settings.jobsService,
    jobPollMs: settings.jobPollMs,
  });
  // STREAMS_END_ON_DRAIN, also when close() comes without a drain first.
  app.addHook('preClose', (done) => {
    streams.closeAll('draining');
    done();
  });
  return { streams, fanOut };
}
