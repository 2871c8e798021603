/**
 * runGateway(): the gateway as its own process — config, logger, metrics, lifecycle, the
 * health server on HEALTH_PORT, the bus (NATS when NATS_URL is set, else in-process) and the
 * gateway component on PORT. What `main.ts` calls.
 *
 * Invariants: SIGNALS_ONLY_FROM_MAIN and EXIT_CODE_TELLS_THE_TRUTH (core's runMain);
 * CONFIG_LISTS_EVERY_PROBLEM (core's loadConfig); LIVEZ_BEFORE_TRANSPORTS (as in @bosun/runtime):
 * the health server listens before Fastify, mercurius, the MCP SDK and NATS are loaded.
 */
import { hostname } from 'node:os';
import type { Transport } from '@bosun/bus';
import {
  createHealthServer,
  createLifecycle,
  createLogger,
  createMetrics,
  type EnvRecord,
  loadConfig,
  type ProcessLike,
  runMain,
} from '@bosun/core';
import type { GatewayComponent } from './create-gateway.js';
import { GATEWAY_VERSION } from './gateway-definition.js';
import { gatewayEnv } from './gateway-env.js';

export interface RunGatewayOptions {
  env: EnvRecord;
  process: ProcessLike;
}

export async function runGateway(options: RunGatewayOptions): Promise<GatewayComponent | undefined> {
  let component: GatewayComponent | undefined;
  let log: ReturnType<typeof createLogger> | undefined;
  await runMain(
    async () => {
      const config = loadConfig(gatewayEnv, options.env);
      const instance = config.SERVICE_INSTANCE_ID ?? `${hostname()}-${process.pid}`;
      log = createLogger({ service: 'gateway', version: GATEWAY_VERSION, instance, level: config.LOG_LEVEL });
      const metrics = createMetrics({ service: 'gateway' });
      const lifecycle = createLifecycle({ log, drainTimeoutMs: config.DRAIN_TIMEOUT_MS });
      const health = createHealthServer({
        lifecycle,
        log,
        metrics,
        port: config.HEALTH_PORT,
        host: config.HOST,
      });
      await health.start?.(new AbortController().signal);
      lifecycle.register(health);
      const [{ createInProcessTransport, createNatsTransport }, { createGateway }] = await Promise.all([
        import('@bosun/bus'),
        import('./create-gateway.js'),
      ]);
      let transport: Transport | undefined;
      lifecycle.register({
        name: 'bus',
        async start() {
          transport = config.NATS_URL
            ? await createNatsTransport({
                servers: config.NATS_URL,
                root: config.BUS_SUBJECT_ROOT,
                name: `gateway@${hostname()}`,
              })
            : createInProcessTransport({ root: config.BUS_SUBJECT_ROOT });
        },
        async stop() {
          await transport?.close();
        },
      });
      const gatewayComponent = createGateway({
        config,
        log,
        metricsRegistry: metrics.registry,
        transport: () => {
          if (!transport) throw new Error('The bus is used before it started.');
          return transport;
        },
      });
      component = gatewayComponent;
      lifecycle.register(gatewayComponent);
      return { lifecycle, log };
    },
    { process: options.process },
  );
  if (component?.url) log?.info({ http: [component.url], mcp: [`${component.url}/mcp`] }, 'serving');
  return component;
}
