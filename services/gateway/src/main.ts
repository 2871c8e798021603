/**
 * The gateway's own process: @bosun/runtime's runService, as every service's (config, logger,
 * metrics, the health server on HEALTH_PORT, the bus, OTLP spans, signals and exit codes), with
 * the edge as its process component on PORT. Wiring only.
 *
 * `gateway` (no operations) names the process; `transports: false` (SERVED_BY_A_COMPONENT)
 * leaves it without a REST/MCP server, RPC server or heartbeat of the runtime's: the edge is its
 * HTTP surface and beats as `gateway` itself, with the key that signs its tokens.
 * LIVEZ_BEFORE_TRANSPORTS: gatewayComponent loads the edge's code only when it starts.
 */
import { runService } from '@bosun/runtime';
import { env } from './config.js';
import { gatewayComponents } from './gateway-component.js';
import { gateway } from './gateway-definition.js';

await runService({
  services: gateway,
  env,
  process,
  extensions: { gateway: { transports: false } },
  components: gatewayComponents(),
});
