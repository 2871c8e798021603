/**
 * createGateway(): the gateway as a lifecycle component, on a bus transport it is given.
 * It is always a process component of @bosun/runtime (gateway-component.ts loads it): in its
 * own process (main.ts) on the runtime's NATS or in-process transport, in the one-process
 * platform (apps/platform) beside every service. Its heartbeat and service signer are its own:
 * the runtime serves no transports for `gateway` (SERVED_BY_A_COMPONENT), nor knows it in the platform.
 *
 * start: registry view (+ probe) -> catalog -> user token verifier -> service token signer
 * (NATS only) -> heartbeat -> edge server listening on `port` (its /stream subscribes to the
 * bus with the first stream). drain ends every stream; stop is the reverse of start.
 *
 * Invariants:
 * - CATALOG_IS_ALLOW_LISTED: in production GATEWAY_SERVICES is required (BOSUN_CONFIG_INVALID).
 * - USER_RIDES_IN_THE_TOKEN: over NATS every forwarded call carries a service token signed by
 *   the gateway with the edge surface and the user inside; SERVICE_PRIVATE_KEY is required in
 *   production, a development key is generated (and announced) otherwise.
 * - EDGE_ACCESS_IS_RECHECKED: the gateway refuses early from descriptors; callees re-check.
 */
import {
  createServiceSigner,
  createUserVerifier,
  generateDevKeyPair,
  type ServiceSigner,
  type UserVerifier,
} from '@bosun/auth';
import {
  createClient,
  createRegistryView,
  type Heartbeat,
  type RegistryView,
  startHeartbeat,
  type Transport,
} from '@bosun/bus';
import { type BosunEnv, type Component, coreErrors, type Logger, type SpanTracer } from '@bosun/core';
import type { JSONWebKeySet } from 'jose';
import { createAccess } from './access.js';
import { untilCatalogHas } from './await-services.js';
import { type Catalog, createCatalog } from './catalog.js';
import { createEdgeServer, type EdgeServer, type EdgeServerOptions } from './edge-server.js';
import { createForwarder } from './forwarder.js';
import { GATEWAY_VERSION, gateway } from './gateway-definition.js';
import type { GatewayEnv } from './gateway-env.js';

export type GatewayConfig = BosunEnv & GatewayEnv;

export interface GatewayOptions {
  config: GatewayConfig;
  /** The bus; a function when the transport exists only once an earlier component started. */
  transport: Transport | (() => Transport);
  log: Logger;
  /** Default config.PORT. */
  port?: number;
  /** Replaces the verifier built from config (USER_JWKS_URL or the bus JWKS). */
  userVerifier?: UserVerifier;
  /** The process's prom-client registry (request metrics). */
  metricsRegistry?: EdgeServerOptions['metricsRegistry'];
  /** The process's span tracer (runtime ComponentParts.tracer): forwarded calls get client spans. */
  tracer?: SpanTracer;
  /**
   * Services running in the same process: start() resolves once each is in the catalog, so the
   * process is not ready while its edge cannot route to them (NEIGHBOURS_ROUTABLE_WHEN_READY).
   * Names outside GATEWAY_SERVICES (when set) are not awaited.
   */
  awaitServices?: readonly string[];
  /** Bound on that wait; then start() resolves with a warning. Default 5000 ms. */
  awaitServicesTimeoutMs?: number;
}

export interface GatewayComponent extends Component {
  /** `http://host:port` once listening. */
  readonly url: string | undefined;
  readonly catalog: Catalog | undefined;
}

function configProblem(variable: string, expected: string) {
  return coreErrors.create(
    'BOSUN_CONFIG_INVALID',
    `1 environment variable(s) are invalid or missing; set them and restart:\n  ${variable}: missing; expected ${expected}`,
    { meta: { variables: [{ variable, problem: 'missing', expected }] } },
  );
}

async function signerFor(
  config: GatewayConfig,
  log: Logger,
): Promise<{ signer: ServiceSigner; publicKey?: Record<string, unknown> }> {
  const text = config.SERVICE_PRIVATE_KEY?.trim();
  if (text) {
    const privateKey = text.startsWith('{') ? (JSON.parse(text) as Record<string, unknown>) : text;
    return { signer: createServiceSigner({ service: gateway.name, privateKey: privateKey as never }) };
  }
  if (config.NODE_ENV === 'production') {
    throw configProblem(
      'SERVICE_PRIVATE_KEY',
      'an Ed25519 private key (PKCS#8 PEM or JWK JSON) when NODE_ENV=production',
    );
  }
  const pair = await generateDevKeyPair(gateway.name, log);
  return {
    signer: createServiceSigner({ service: gateway.name, privateKey: pair.privateKey }),
    publicKey: pair.publicKey as Record<string, unknown>,
  };
}

/**
 * @example
 * const app = createApp({ services: [users], config });
 * app.lifecycle.register(createGateway({ config: gatewayConfig, transport: () => app.bus.transport, log: app.log }));
 */
export function createGateway(options: GatewayOptions): GatewayComponent {
  const { config } = options;
  const log = options.log.child({ component: 'gateway' });
  const production = config.NODE_ENV === 'production';
  let view: RegistryView | undefined;
  let catalog: Catalog | undefined;
  let edge: EdgeServer | undefined;
  let heartbeat: Heartbeat | undefined;
  let url: string | undefined;
  const transport = () => (typeof options.transport === 'function' ? options.transport() : options.transport);

  return {
    name: 'gateway',
    get url() {
      return url;
    },
    get catalog() {
      return catalog;
    },
    async start(signal) {
      if (production && config.GATEWAY_SERVICES.length === 0) {
        throw configProblem(
          'GATEWAY_SERVICES',
          'a comma-separated list of the services to expose when NODE_ENV=production',
        );
      }
      const bus = transport();
      // Generous: a busy service beats late, and a flapping catalog would flap every surface.
      const staleAfterMs = Math.max(3 * config.HEARTBEAT_INTERVAL_MS, 15_000);
      view = await createRegistryView(bus, { staleAfterMs });
      catalog = createCatalog(view, {
        services: config.GATEWAY_SERVICES.length > 0 ? config.GATEWAY_SERVICES : undefined,
        self: gateway.name,
      });
      const trust = bus.kind === 'in-process' ? undefined : await signerFor(config, log);
      const signer = trust?.signer;
      const verifier =
        options.userVerifier ??
        createUserVerifier({
          ...(config.USER_JWKS_URL
            ? { jwksUrl: config.USER_JWKS_URL }
            : {
                loadJwks: async () =>
                  (await createClient(bus, config.USER_JWKS_SERVICE, {
                    timeoutMs: config.GATEWAY_CALL_TIMEOUT_MS,
                    tokenProvider: signer ? (request) => signer.sign(request) : undefined,
                  }).$call('jwks', {})) as JSONWebKeySet,
              }),
          issuer: config.USER_JWT_ISSUER,
          audience: config.USER_JWT_AUDIENCE,
          log,
        });
      const forwarder = createForwarder({
        transport,
        signer,
        timeoutMs: config.GATEWAY_CALL_TIMEOUT_MS,
        tracer: options.tracer,
      });
      edge = await createEdgeServer({
        catalog,
        access: createAccess(verifier),
        forwarder,
        log,
        production,
        corsOrigins: config.CORS_ORIGINS,
        rateLimit: { max: config.RATE_LIMIT_MAX, windowMs: config.RATE_LIMIT_WINDOW_MS },
        version: GATEWAY_VERSION,
        trustProxy: config.GATEWAY_TRUST_PROXY,
        metricsRegistry: options.metricsRegistry,
        stream: {
          transport,
          topics: config.GATEWAY_STREAM_TOPICS,
          maxStreams: config.GATEWAY_STREAM_MAX,
          maxPerUser: config.GATEWAY_STREAM_MAX_PER_USER,
          heartbeatMs: config.GATEWAY_STREAM_HEARTBEAT_MS,
          jobsService: config.GATEWAY_JOBS_SERVICE,
          jobPollMs: config.GATEWAY_STREAM_JOB_POLL_MS,
        },
      });
      await edge.listen({ port: options.port ?? config.PORT, host: config.HOST });
      const address = edge.app.server.address();
      const port = typeof address === 'object' && address ? address.port : (options.port ?? config.PORT);
      const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? 'localhost' : config.HOST;
      url = `http://${host}:${port}`;
      heartbeat = await startHeartbeat(bus, gateway, {
        ports: { http: port },
        intervalMs: config.HEARTBEAT_INTERVAL_MS,
        publicKey: trust?.publicKey,
        log,
      });
      // A view that just started asks for beats instead of waiting an interval.
      await view.probe();
      const allowed = config.GATEWAY_SERVICES;
      const neighbours = (options.awaitServices ?? []).filter(
        (name) => name !== gateway.name && (allowed.length === 0 || allowed.includes(name)),
      );
      await untilCatalogHas(catalog, neighbours, {
        timeoutMs: options.awaitServicesTimeoutMs ?? 5000,
        log,
        signal,
      });
      log.info({ url, services: config.GATEWAY_SERVICES }, 'gateway listening');
    },
    async drain(signal) {
      await heartbeat?.stop().catch(() => {});
      return edge?.drain(signal);
    },
    async stop() {
      await heartbeat?.stop().catch(() => {});
      await edge?.close();
      catalog?.close();
      await view?.close().catch(() => {});
    },
  };
}
