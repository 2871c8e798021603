/**
 * gatewayComponent(): the gateway as a lifecycle component that loads its code (Fastify,
 * mercurius, the MCP SDK, jose) only when it starts. What a process that holds the gateway
 * beside other services (apps/platform) registers; the sub-path `@bosun/service-gateway/component`
 * exports it with `gatewayEnv`, and neither pulls in the edge server at import time.
 *
 * Invariant LIVEZ_BEFORE_TRANSPORTS (as in @bosun/runtime): importing this module costs zod only,
 * so the process's health server answers /livez before the edge's code is parsed.
 * Not here: the gateway itself (create-gateway.ts).
 */
import type { Component } from '@bosun/core';
import type { ProcessComponents } from '@bosun/runtime';
import type { GatewayComponent, GatewayConfig, GatewayOptions } from './create-gateway.js';
import { gatewayEnv } from './gateway-env.js';

export type { GatewayComponent, GatewayConfig, GatewayOptions } from './create-gateway.js';
export { gatewayEnv };

/** @example runService({ ..., components: { env: gatewayEnv, create: (p) => gatewayComponent({ config: p.config, transport: p.transport, log: p.log }) } }) */
export function gatewayComponent(options: GatewayOptions): GatewayComponent {
  let inner: GatewayComponent | undefined;
  const component: Component = {
    name: 'gateway',
    async start(signal) {
      const { createGateway } = await import('./create-gateway.js');
      inner = createGateway(options);
      await inner.start?.(signal);
    },
    drain: (signal) => inner?.drain?.(signal),
    stop: async (signal) => {
      await inner?.stop?.(signal);
    },
    health: () => inner?.health?.(),
  };
  return Object.defineProperties(component, {
    url: { get: () => inner?.url, enumerable: true },
    catalog: { get: () => inner?.catalog, enumerable: true },
  }) as GatewayComponent;
}

/**
 * The gateway as runService's `components`: its variables (gatewayEnv) parsed with the
 * process's, the edge built from the runtime's parts (logger, metrics, bus, tracer), and its
 * URL for the `serving` log. What both the gateway's own main.ts and apps/platform hand over.
 * @example await runService({ services, env, process, components: gatewayComponents() });
 */
export function gatewayComponents(
  extra: Pick<GatewayOptions, 'awaitServices'> = {},
): ProcessComponents & { readonly edge: GatewayComponent | undefined } {
  let edge: GatewayComponent | undefined;
  return {
    env: gatewayEnv,
    create: ({ config, log, metrics, transport, tracer }) => {
      edge = gatewayComponent({
        // The process config holds gatewayEnv's variables: `env` above merged them in.
        config: config as unknown as GatewayConfig,
        log,
        transport,
        metricsRegistry: metrics.registry,
        tracer,
        ...extra,
      });
      return edge;
    },
    urls: () => [edge?.url],
    get edge() {
      return edge;
    },
  };
}
