/**
 * Mounts a service's MCP server at /mcp on its HTTP app (Streamable HTTP, stateful
 * sessions), sharing the HTTP port and its drain. Long-running operations use the job
 * queue through the JobsPort adapter.
 */
import type { AnyService, Logger } from '@bosun/core';
import { mountMcp } from '@bosun/mcp';
import type { FastifyInstance } from 'fastify';
import type { QueueComponent } from './queue-component.js';
import { queueJobsPort } from './queue-ports.js';
import type { ContextFactory } from './service-context.js';

export interface McpMountOptions {
  service: AnyService;
  context: ContextFactory;
  log: Logger;
  queue: QueueComponent | undefined;
  production: boolean;
  allowedOrigins: string[];
}

export async function mountMcpFor(app: FastifyInstance, options: McpMountOptions): Promise<void> {
  const { service, context } = options;
  const tools = Object.values(service.operations).some((op) => op.mcp !== false);
  const extras = Object.keys(service.resources).length + Object.keys(service.prompts).length;
  if (!tools && extras === 0) return;
  // mountMcp closes its sessions on the app's preClose, so open streams never hold up the drain.
  mountMcp(app, service, {
    log: options.log,
    production: options.production,
    allowedOrigins: options.allowedOrigins,
    jobs: options.queue ? queueJobsPort(options.queue) : undefined,
    createContext: (base) =>
      context({
        transport: 'mcp',
        requestId: base.requestId,
        log: base.log,
        signal: base.signal,
        caller: base.caller,
      }),
  });
}
