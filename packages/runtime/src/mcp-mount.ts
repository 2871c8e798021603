/**
 * Mounts a service's MCP server at /mcp on its HTTP app (Streamable HTTP, stateful
 * sessions), sharing the HTTP port and its drain. Long-running operations use the job
 * queue through the JobsPort adapter. With MCP_QUEUE_ADMIN and MCP_ADMIN_TOKEN, a second
 * endpoint /mcp/admin adds the queue admin tools and requires that bearer token.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { type AnyService, coreErrors, type Logger } from '@bosun/core';
import { type McpContextBase, mountMcp } from '@bosun/mcp';
import type { FastifyInstance } from 'fastify';
import type { QueueComponent } from './queue-component.js';
import { queueAdminPort, queueJobsPort } from './queue-ports.js';
import type { ContextFactory } from './service-context.js';

export interface McpMountOptions {
  service: AnyService;
  context: ContextFactory;
  log: Logger;
  queue: QueueComponent | undefined;
  production: boolean;
  allowedOrigins: string[];
  /** Register the queue admin tools (MCP_QUEUE_ADMIN), behind the `queue:admin` scope. */
  queueAdmin: boolean;
  /** MCP_ADMIN_TOKEN: the bearer token that grants `queue:admin`. */
  adminToken: string | undefined;
}

/** Constant-time comparison of a presented bearer token with the configured one. */
function sameToken(presented: string, expected: string): boolean {
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

export async function mountMcpFor(app: FastifyInstance, options: McpMountOptions): Promise<void> {
  const { service, context } = options;
  const tools = Object.values(service.operations).some((op) => op.mcp !== false);
  const extras = Object.keys(service.resources).length + Object.keys(service.prompts).length;
  if (!tools && extras === 0) return;
  const base = {
    log: options.log,
    production: options.production,
    allowedOrigins: options.allowedOrigins,
    jobs: options.queue ? queueJobsPort(options.queue) : undefined,
    createContext: (ctx: McpContextBase) =>
      context({
        transport: 'mcp',
        requestId: ctx.requestId,
        log: ctx.log,
        signal: ctx.signal,
        caller: ctx.caller,
      }),
  };
  // mountMcp closes its sessions on the app's preClose, so open streams never hold up the drain.
  mountMcp(app, service, base);
  if (options.queue && options.queueAdmin && options.adminToken) {
    const adminToken = options.adminToken;
    // A second endpoint, so ordinary agents on /mcp never need the operator's token (ADMIN_IS_SEPARATE).
    mountMcp(app, service, {
      ...base,
      path: '/mcp/admin',
      adminTools: {
        port: queueAdminPort(options.queue, () => Object.keys(service.jobs)),
        scope: 'queue:admin',
      },
      verifyToken: (token) => {
        if (!sameToken(token, adminToken)) {
          throw coreErrors.create(
            'BOSUN_UNAUTHENTICATED',
            "The bearer token is not this service's MCP_ADMIN_TOKEN.",
          );
        }
        return { user: { id: 'mcp-admin', scopes: ['queue:admin'] } };
      },
    });
  }
}
