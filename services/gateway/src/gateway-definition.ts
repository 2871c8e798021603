/**
 * The gateway as the registry sees it: a service named `gateway` with no operations of its
 * own. Its heartbeat announces its port and, in development, the public key of its service
 * token, which callees learn (KEYS_NEVER_FROM_HEARTBEATS_IN_PRODUCTION in @bosun/auth).
 */
import { defineService } from '@bosun/core';

export const GATEWAY_VERSION = '0.1.0';

export const gateway = defineService({
  name: 'gateway',
  version: GATEWAY_VERSION,
  description: 'The public edge: REST under /api, GraphQL, one MCP endpoint; proxies over the bus.',
  operations: {},
});
