/**
 * @bosun/service-gateway — the public edge of the reference platform, for a process that
 * embeds it (apps/platform runs every service in one process): the gateway component, its
 * env schema and its registry identity. Its own process is src/main.ts.
 */
export type { Access } from './access.js';
export type { Catalog, CatalogEntry, CatalogRoute } from './catalog.js';
export { createCatalog } from './catalog.js';
export type { GatewayComponent, GatewayConfig, GatewayOptions } from './create-gateway.js';
export { createGateway } from './create-gateway.js';
export { gateway } from './gateway-definition.js';
export type { GatewayEnv } from './gateway-env.js';
export { gatewayEnv } from './gateway-env.js';
