/**
 * One stateless Streamable HTTP exchange: a fresh transport for a server made for this
 * request alone, both closed when the response closes. What mountMcp's stateless mode and
 * the gateway's aggregated /mcp both do per request.
 *
 * Invariant ONE_SERVER_PER_SESSION: the SDK's stateless transport cannot be reused across
 * requests (its own error says so), and a server connects to one transport only, so the
 * caller hands in a server built for this request.
 */

import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** An McpServer or a low-level SDK Server. */
export interface ConnectableServer {
  connect(transport: Transport): Promise<void>;
  close(): Promise<void>;
}

export async function serveStatelessRequest(
  server: ConnectableServer,
  req: FastifyRequest,
  reply: FastifyReply,
): Promise<void> {
  const transport = new StreamableHTTPServerTransport({
    sessionIdGenerator: undefined,
    enableJsonResponse: true,
  });
  reply.raw.once('close', () => {
    void transport.close().catch(() => {});
    void server.close().catch(() => {});
  });
  await server.connect(transport);
  reply.hijack();
  await transport.handleRequest(req.raw, reply.raw, req.body);
}
