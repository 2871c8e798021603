/**
 * The bus as a lifecycle component: one transport per process (NATS when NATS_URL is
 * set, otherwise in-process), and for each service RPC serving, durable event
 * consumers, registry heartbeats and service-to-service tokens.
 *
 * Trust: over NATS every RPC carries a 60 s EdDSA token signed by the caller and checked
 * by the callee (CALLER_IS_VERIFIED). In development a key pair is generated per service
 * and public keys are learned from heartbeats; in production SERVICE_PRIVATE_KEY and
 * SERVICE_TRUSTED_KEYS are required and heartbeats never introduce a key
 * (KEYS_NEVER_FROM_HEARTBEATS_IN_PRODUCTION). The in-process transport never leaves
 * the process, so it carries no tokens.
 *
 * Invariant READY_GATES_INTAKE: drain() stops RPC and event intake and waits for
 * in-flight handlers; the heartbeat says `draining` and sends its goodbye on stop.
 */
import { hostname } from 'node:os';
import {
  createServiceSigner,
  createServiceVerifier,
  generateDevKeyPair,
  learnKeysFromHeartbeats,
  type ServiceSigner,
  type ServiceVerifier,
  type TrustedKey,
} from '@bosun/auth';
import {
  type BusClient,
  createClient,
  createEventBus,
  createInProcessTransport,
  createNatsTransport,
  createRegistryView,
  createResilience,
  type EventBus,
  type Heartbeat,
  type OutboxWriter,
  type RegistryView,
  type RpcServer,
  serveRpc,
  startHeartbeat,
  type Transport,
} from '@bosun/bus';
import type { AnyService, Component, EventPublisher, Logger, RemoteCall, SpanTracer } from '@bosun/core';
import type { Registry } from 'prom-client';
import { breakerDetails, watchBreakers } from './breaker-metrics.js';
import { runtimeErrors } from './runtime.errors.js';
import type { ContextFactory } from './service-context.js';

export interface BusComponentOptions {
  /** The services it serves (RPC, events, heartbeats, keys); may be none (SERVED_BY_A_COMPONENT). */
  services: ReadonlyArray<AnyService>;
  /** NATS connection name. Default: the services' names joined by `+`. */
  connectionName?: string;
  log: Logger;
  natsUrl: string | undefined;
  /** BUS_SUBJECT_ROOT. */
  root: string;
  production: boolean;
  /** SERVICE_PRIVATE_KEY: one key signs for every service in the process. */
  privateKey: string | undefined;
  /** SERVICE_TRUSTED_KEYS, parsed: public keys of the services allowed to call. */
  trustedKeys: Record<string, TrustedKey>;
  instance: string;
  contexts: ReadonlyMap<string, ContextFactory>;
  registry?: Registry;
  ports: () => Record<string, number>;
  isReady: () => boolean;
  heartbeatIntervalMs?: number;
  /** Where `publish(..., { db })` writes (outbox-component.ts); without it such a publish throws. */
  outbox?: OutboxWriter;
  /** Spans per RPC served, RPC call made and event handled; undefined: none. */
  tracer?: SpanTracer;
}

export interface BusComponent extends Component {
  readonly transport: Transport;
  /** `ctx.events` of a service. */
  events(service: string): EventPublisher;
  /** `ctx.call` of a service: a resilient, token-signing RPC call. */
  call(service: string): RemoteCall;
}

export function busComponent(options: BusComponentOptions): BusComponent {
  const log = options.log.child({ component: 'bus' });
  const overNats = options.natsUrl !== undefined;
  const mode = options.production ? 'production' : 'development';
  const resilience = createResilience();
  watchBreakers(resilience, log, options.registry);
  let transport: Transport | undefined;
  let view: RegistryView | undefined;
  const signers = new Map<string, ServiceSigner>();
  const publicKeys = new Map<string, Record<string, unknown>>();
  const buses = new Map<string, EventBus>();
  const servers: RpcServer[] = [];
  const heartbeats: Heartbeat[] = [];
  const clients = new Map<string, BusClient<AnyService>>();

  const started = () => {
    if (!transport) throw runtimeErrors.create('BOSUN_RUNTIME_NO_BUS', 'The bus is used before start().');
    return transport;
  };

  async function setUpTrust(service: AnyService): Promise<ServiceVerifier | undefined> {
    if (!overNats) return undefined;
    let key: string | Record<string, unknown> | undefined = options.privateKey;
    if (key === undefined && !options.production) {
      const pair = await generateDevKeyPair(service.name, log);
      key = pair.privateKey as Record<string, unknown>;
      publicKeys.set(service.name, pair.publicKey as Record<string, unknown>);
    }
    if (key !== undefined) {
      const parsed =
        typeof key === 'string' && key.trim().startsWith('{')
          ? (JSON.parse(key) as Record<string, unknown>)
          : key;
      signers.set(service.name, createServiceSigner({ service: service.name, privateKey: parsed as never }));
    }
    const own = publicKeys.get(service.name);
    const verifier = createServiceVerifier({
      audience: service.name,
      trustedKeys: { ...(own ? { [service.name]: own as TrustedKey } : {}), ...options.trustedKeys },
      mode,
      learnKeysFromHeartbeats: !options.production,
      log,
      registry: options.registry,
    });
    if (!options.production && view) learnKeysFromHeartbeats(view, verifier);
    if (options.production && Object.keys(options.trustedKeys).length === 0) {
      log.warn(
        { service: service.name },
        'no SERVICE_TRUSTED_KEYS: every RPC call to this service will be refused',
      );
    }
    return verifier;
  }

  function clientFor(caller: string, target: string): BusClient<AnyService> {
    const key = `${caller}->${target}`;
    let c = clients.get(key);
    if (!c) {
      const signer = signers.get(caller);
      const definition = options.services.find((s) => s.name === target);
      c = createClient<AnyService>(started(), target, {
        resilience,
        definition,
        tokenProvider: signer ? (claims) => signer.sign(claims) : undefined,
        tracer: options.tracer,
      });
      clients.set(key, c);
    }
    return c;
  }

  return {
    name: 'bus',
    get transport() {
      return started();
    },
    events(service) {
      return {
        publish: (subject, data, publishOptions) => {
          const bus = buses.get(service);
          if (!bus) {
            return Promise.reject(
              runtimeErrors.create(
                'BOSUN_RUNTIME_NO_BUS',
                `Service "${service}" published "${subject}" before the bus started.`,
              ),
            );
          }
          return bus.publish(subject, data, publishOptions);
        },
      };
    },
    call(service) {
      return (target, operation, input, callOptions) =>
        clientFor(service, target).$call(operation, input, {
          timeoutMs: callOptions?.timeoutMs,
          traceparent: callOptions?.traceparent,
          requestId: callOptions?.requestId,
        });
    },
    async start() {
      transport = overNats
        ? await createNatsTransport({
            servers: options.natsUrl!,
            root: options.root,
            name: `${options.connectionName ?? options.services.map((s) => s.name).join('+')}@${hostname()}`,
          })
        : createInProcessTransport({ root: options.root });
      // The view only teaches the services' verifiers keys: none served, none needed.
      if (overNats && !options.production && options.services.length > 0)
        view = await createRegistryView(transport);
      for (const service of options.services) {
        const context = options.contexts.get(service.name)!;
        const verifier = await setUpTrust(service);
        servers.push(
          await serveRpc(transport, service, {
            log,
            verifier,
            tracer: options.tracer,
            createContext: (init) =>
              context({
                transport: 'rpc',
                requestId: init.requestId,
                log: init.log,
                signal: init.signal,
                caller: init.caller,
                traceparent: init.traceparent,
              }),
          }),
        );
        const bus = createEventBus(transport, service, {
          log,
          outbox: options.outbox,
          tracer: options.tracer,
          createContext: (init) =>
            context({
              transport: 'event',
              requestId: init.requestId,
              log: init.log,
              signal: init.signal,
              traceparent: init.traceparent,
            }),
        });
        await bus.start();
        buses.set(service.name, bus);
        heartbeats.push(
          await startHeartbeat(transport, service, {
            instance: options.instance,
            ports: options.ports(),
            intervalMs: options.heartbeatIntervalMs,
            health: () => (options.isReady() ? 'ok' : 'draining'),
            publicKey: publicKeys.get(service.name),
            log,
          }),
        );
      }
    },
    // BREAKER_IS_NOT_READINESS: open breakers are shown, never a failure.
    health: () => breakerDetails(resilience),
    async drain(signal) {
      // Goodbye first: registry views drop this instance before its intake closes.
      await Promise.all(heartbeats.splice(0).map((h) => h.stop().catch(() => {})));
      const results = await Promise.all([
        ...servers.map((s) => s.drain(signal)),
        ...[...buses.values()].map((b) => b.drain(signal)),
      ]);
      return { abandoned: results.flatMap((r) => r.abandoned ?? []) };
    },
    async stop() {
      await Promise.all(heartbeats.map((h) => h.stop().catch(() => {})));
      await Promise.all(servers.map((s) => s.close().catch(() => {})));
      await Promise.all([...buses.values()].map((b) => b.close().catch(() => {})));
      await view?.close().catch(() => {});
      await transport?.close();
      transport = undefined;
    },
  };
}
