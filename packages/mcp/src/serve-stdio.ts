/**
 * serveMcpStdio(): the service's MCP server over stdin/stdout, for `node <entry> --mcp-stdio`
 * (Claude Desktop and other local clients start the process themselves).
 *
 * Invariant STDOUT_IS_FOR_THE_PROTOCOL: stdout carries only JSON-RPC. The logger passed in
 * must write to stderr (`pino(pino.destination(2))`, or core's createLogger with
 * `destination: 'stderr'`); one console.log on stdout breaks the client.
 */
import type { AnyService } from '@bosun/core';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { buildMcpServer, type McpServerOptions } from './build-mcp-server.js';

export interface McpStdio {
  readonly server: McpServer;
  /** Resolves when the client closes stdin or close() is called. */
  readonly closed: Promise<void>;
  close(): Promise<void>;
}

export async function serveMcpStdio(
  service: AnyService,
  options: McpServerOptions & { stdin?: NodeJS.ReadableStream; stdout?: NodeJS.WritableStream },
): Promise<McpStdio> {
  const server = buildMcpServer(service, options);
  const transport = new StdioServerTransport(
    options.stdin as NodeJS.ReadStream | undefined,
    options.stdout as NodeJS.WriteStream | undefined,
  );
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
  });
  await server.connect(transport);
  // The SDK's transport does not notice a closed stdin by itself.
  (options.stdin ?? process.stdin).once('end', () => void server.close());
  return { server, closed, close: () => server.close() };
}
