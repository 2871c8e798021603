/**
 * ★ One MCP endpoint (`/mcp`, Streamable HTTP, stateless) aggregating every service's tools,
 * discovered live from the catalog: `users_getUser`, `notifications_send`, ... A tool call
 * is authorized with the request's bearer user token and forwarded over the bus.
 *
 * Invariants:
 * - TOOLS_FOLLOW_THE_CATALOG: tools/list reads the catalog at each request, so tools appear
 *   and disappear with their services (stateless: no session holds an old list).
 * - SAME_RULE_EVERY_SURFACE: a call is authorized by access.ts and forwarded by forwarder.ts;
 *   a refusal or a service's error is a tool result with `isError: true` and the bosun code
 *   (@bosun/mcp's errorResult, CODES_MATCH_HTTP); only an unknown tool is a JSON-RPC error.
 * - ORIGIN_IS_CHECKED (@bosun/mcp): a browser origin must be listed (CORS_ORIGINS) or localhost.
 * - ONE_SERVER_PER_REQUEST: a fresh MCP server and transport per POST (the SDK's stateless mode).
 */
import { errorResult, isOriginAllowed, mcpErrors, serveStatelessRequest, successResult } from '@bosun/mcp';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema,
  ErrorCode,
  ListToolsRequestSchema,
  McpError,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Access } from './access.js';
import type { Catalog, CatalogEntry } from './catalog.js';
import type { Forwarder } from './forwarder.js';

export interface McpEndpointOptions {
  catalog: Catalog;
  access: Access;
  forwarder: Forwarder;
  production: boolean;
  allowedOrigins: string[];
  version: string;
}

type Json = Record<string, unknown>;

/** A JSON Schema as MCP lists it: an object schema without `$schema` (the SDK's validator is draft-07). */
function toolSchema(schema: unknown): Json | undefined {
  if (typeof schema !== 'object' || schema === null) return undefined;
  const { $schema: _, ...rest } = schema as Json;
  return rest.type === 'object' ? rest : undefined;
}

export function toolOf(entry: CatalogEntry): Tool {
  const d = entry.descriptor;
  const mcp = d.mcp === false ? undefined : d.mcp;
  const method = entry.route?.method;
  const access = d.public ? 'Public.' : d.scope ? `Needs the ${d.scope} scope.` : 'Needs a signed-in user.';
  const tool: Tool = {
    name: entry.tool!,
    description: [mcp?.description ?? d.description ?? d.title, `(${entry.service}) ${access}`]
      .filter(Boolean)
      .join(' '),
    inputSchema: (toolSchema(d.inputSchema) ?? { type: 'object' }) as Tool['inputSchema'],
    annotations: {
      ...((mcp?.title ?? d.title) ? { title: mcp?.title ?? d.title } : {}),
      readOnlyHint: method === 'GET',
      destructiveHint: method === 'DELETE',
      idempotentHint: d.idempotent === true || method === 'GET' || method === 'PUT' || method === 'DELETE',
      openWorldHint: false,
      ...mcp?.annotations,
    },
  };
  const title = mcp?.title ?? d.title;
  if (title) tool.title = title;
  const output = toolSchema(d.outputSchema);
  if (output) tool.outputSchema = output as Tool['outputSchema'];
  return tool;
}

function serverFor(req: FastifyRequest, options: McpEndpointOptions): Server {
  const server = new Server(
    { name: 'bosun-gateway', version: options.version },
    { capabilities: { tools: { listChanged: false } } },
  );
  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: options.catalog
      .entries()
      .filter((e) => e.tool !== undefined)
      .map(toolOf),
  }));
  server.setRequestHandler(CallToolRequestSchema, async (request) => {
    const entry = options.catalog.entries().find((e) => e.tool === request.params.name);
    if (!entry) throw new McpError(ErrorCode.InvalidParams, `Tool ${request.params.name} not found`);
    try {
      const header = req.headers.authorization;
      const onBehalfOf = await options.access.authorize(
        entry,
        Array.isArray(header) ? header[0] : header,
        'mcp',
      );
      const traceparent = req.headers.traceparent;
      const output = await options.forwarder.forward(entry, request.params.arguments ?? {}, {
        onBehalfOf,
        requestId: req.id,
        traceparent: typeof traceparent === 'string' ? traceparent : undefined,
      });
      return successResult(output);
    } catch (error) {
      return errorResult(error, { requestId: req.id, production: options.production });
    }
  });
  return server;
}

export function registerMcpEndpoint(app: FastifyInstance, options: McpEndpointOptions): void {
  app.route({
    method: ['GET', 'POST', 'DELETE'],
    url: '/mcp',
    handler: async (req, reply) => {
      const origin = req.headers.origin;
      if (!isOriginAllowed(origin, { allowedOrigins: options.allowedOrigins })) {
        throw mcpErrors.create('BOSUN_MCP_ORIGIN_FORBIDDEN', `Origin ${origin} is not allowed.`);
      }
      if (req.method !== 'POST') {
        throw mcpErrors.create(
          'BOSUN_MCP_METHOD_NOT_ALLOWED',
          `${req.method} is not served: /mcp is stateless.`,
        );
      }
      await serveStatelessRequest(serverFor(req, options), req, reply);
    },
  });
}
