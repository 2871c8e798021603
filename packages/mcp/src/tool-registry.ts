/**
 * Tools as bosun registers them: the SDK's McpServer lists them (name, title, JSON Schema
 * from the Zod shape, annotations), and bosun's own `tools/call` handler runs them.
 *
 * Invariants:
 * - ONE_VALIDATION: the SDK never validates tool arguments; operation tools validate in
 *   core's invoke() (INPUT_IS_VALIDATED) and other tools with their own Zod schema, so a bad
 *   argument is `isError` with BOSUN_VALIDATION_FAILED, the same code HTTP answers with 400.
 * - NEVER_THROWS_FROM_TOOLS: every failure of a known tool becomes an error result
 *   (tool-result.ts); only an unknown tool name is a JSON-RPC error (-32602), as the spec says.
 * Hazard: replacing the SDK's `tools/call` handler relies on Protocol.setRequestHandler
 * replacing an existing handler (true in @modelcontextprotocol/sdk 1.32.2, pinned).
 */
import { randomUUID } from 'node:crypto';
import type { Caller } from '@bosun/core';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import {
  CallToolRequestSchema,
  type CallToolResult,
  ErrorCode,
  McpError,
  type ServerNotification,
  type ServerRequest,
  type ToolAnnotations,
} from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { mcpErrors } from './mcp.errors.js';
import { errorResult } from './tool-result.js';

export type ToolExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/** What a tool's `call` gets besides its arguments. */
export interface ToolCall {
  requestId: string;
  log: Logger;
  extra: ToolExtra;
  caller: Caller | undefined;
  /**
   * Sends `notifications/progress` when the client asked for it (a progressToken); else a no-op.
   * `meta` goes out as the notification's `_meta`.
   */
  progress(value: number, message?: string, total?: number, meta?: Record<string, unknown>): Promise<void>;
}

export interface ToolEntry {
  name: string;
  title?: string;
  description?: string;
  /** Raw Zod shape, as the SDK lists it. */
  inputSchema: Record<string, z.ZodType>;
  outputSchema?: z.ZodType;
  annotations?: ToolAnnotations;
  call(args: Record<string, unknown>, call: ToolCall): Promise<CallToolResult>;
}

export interface ToolRegistryOptions {
  log: Logger;
  production?: boolean;
}

/** The caller that mountMcp's verifyToken put on the request, if any. */
export function callerOf(extra: ToolExtra): Caller | undefined {
  const fromAuth = extra.authInfo?.extra?.caller;
  return typeof fromAuth === 'object' && fromAuth !== null ? (fromAuth as Caller) : undefined;
}

export function progressSender(extra: ToolExtra): ToolCall['progress'] {
  const token = extra._meta?.progressToken;
  let last = Number.NEGATIVE_INFINITY;
  return async (value, message, total, meta) => {
    // The spec wants progress to increase with each notification; stale reports are dropped.
    if (token === undefined || !Number.isFinite(value) || value <= last) return;
    last = value;
    const params: Record<string, unknown> = { progressToken: token, progress: value };
    if (total !== undefined) params.total = total;
    if (message !== undefined) params.message = message;
    if (meta !== undefined) params._meta = meta;
    await extra
      .sendNotification({ method: 'notifications/progress', params } as ServerNotification)
      .catch(() => {});
  };
}

export function registerTools(server: McpServer, tools: ToolEntry[], options: ToolRegistryOptions): void {
  const byName = new Map<string, ToolEntry>();
  for (const tool of tools) {
    byName.set(tool.name, tool);
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: tool.inputSchema,
        ...(tool.outputSchema ? { outputSchema: tool.outputSchema } : {}),
        ...(tool.annotations ? { annotations: tool.annotations } : {}),
      },
      // Never called: bosun's tools/call handler below runs tools (ONE_VALIDATION).
      async () => ({ content: [] }),
    );
  }
  if (tools.length === 0) return;
  server.server.setRequestHandler(CallToolRequestSchema, async (request, extra): Promise<CallToolResult> => {
    const tool = byName.get(request.params.name);
    if (!tool) {
      const err = mcpErrors.create('BOSUN_MCP_TOOL_NOT_FOUND', `No tool "${request.params.name}".`);
      throw new McpError(ErrorCode.InvalidParams, `${err.code}: ${err.detail}`, { code: err.code });
    }
    const requestId = randomUUID();
    const log = options.log.child({ requestId, tool: tool.name });
    const args = request.params.arguments ?? {};
    try {
      return await tool.call(args, {
        requestId,
        log,
        extra,
        caller: callerOf(extra),
        progress: progressSender(extra),
      });
    } catch (error) {
      const result = errorResult(error, { requestId, production: options.production });
      const meta = result._meta?.['bosun.dev/error'] as { status: number; code: string };
      if (meta.status >= 500) log.error({ err: error, code: meta.code }, 'tool call failed');
      else log.debug({ code: meta.code }, 'tool call rejected');
      return result;
    }
  });
}
