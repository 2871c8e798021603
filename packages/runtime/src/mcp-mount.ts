/**
 * Mounts a service's MCP server at /mcp on its HTTP app. Filled in when @bosun/mcp lands.
 */
import type { AnyService, Logger } from '@bosun/core';
import type { FastifyInstance } from 'fastify';
import type { QueueComponent } from './queue-component.js';
import type { ContextFactory } from './service-context.js';

export interface McpMountOptions {
  service: AnyService;
  context: ContextFactory;
  log: Logger;
  queue: QueueComponent | undefined;
}

export async function mountMcpFor(_app: FastifyInstance, _options: McpMountOptions): Promise<void> {}
