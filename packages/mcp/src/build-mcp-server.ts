/**
 * buildMcpServer(): a fresh McpServer for one session (or one stateless request, or stdio)
 * with the service's operations as tools, its resources and prompts, the job resource and
 * the opt-in queue admin tools.
 *
 * Invariants:
 * - ONE_SERVER_PER_SESSION: the SDK refuses a second connect(); callers build one per transport.
 * - TOOLS_CALL_THROUGH_INVOKE: operation tools run core's invoke(); see tool-registry.ts.
 * - The context's caller is the verified caller when there is one, whatever createContext sets.
 */
import { randomUUID } from 'node:crypto';
import type { AnyService, OperationContext } from '@bosun/core';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Logger } from 'pino';
import { type AdminToolsOptions, adminTools } from './admin-tools.js';
import type { McpContextBase, McpContextFactory } from './context-factory.js';
import type { JobsPort } from './jobs.port.js';
import { operationTools } from './operation-tools.js';
import { registerJobResource, registerPrompts, registerResources } from './resources-prompts.js';
import { callerOf, registerTools, type ToolEntry, type ToolExtra } from './tool-registry.js';

export interface McpServerOptions {
  /** Builds each call's OperationContext (config, db, jobs, events). */
  createContext: McpContextFactory;
  /** Logs go here; in stdio mode it must write to stderr (STDOUT_IS_FOR_THE_PROTOCOL). */
  log: Logger;
  /** Hide details of 5xx errors. Default false. */
  production?: boolean;
  /** Jobs port: enables long-running tools and the `bosun://jobs/{id}` resource. */
  jobs?: JobsPort;
  /** Opt-in queue admin tools. */
  adminTools?: AdminToolsOptions;
  /** More tools, run by the same dispatcher (validate your own arguments; throw BosunErrors). */
  extraTools?: ToolEntry[];
  /** Long-running poll interval when the jobs port cannot wait. Default 250 ms. */
  pollIntervalMs?: number;
}

/**
 * @example
 * const server = buildMcpServer(hello, { log, createContext: (base) => ({ ...base, ...deps }) });
 * await server.connect(new StdioServerTransport());
 */
export function buildMcpServer(service: AnyService, options: McpServerOptions): McpServer {
  const server = new McpServer(
    { name: service.name, version: service.version },
    service.description ? { instructions: service.description } : undefined,
  );
  const makeContext = async (base: McpContextBase): Promise<OperationContext> => {
    const ctx = await options.createContext(base);
    return base.caller ? { ...ctx, caller: base.caller } : ctx;
  };
  const baseFor = (extra: ToolExtra, requestId: string, log: Logger): McpContextBase => {
    const base: McpContextBase = { requestId, transport: 'mcp', log, signal: extra.signal };
    const caller = callerOf(extra);
    if (caller) base.caller = caller;
    if (extra.sessionId) base.sessionId = extra.sessionId;
    return base;
  };

  const tools = [
    ...operationTools(service, {
      context: (call) => makeContext(baseFor(call.extra, call.requestId, call.log)),
      jobs: options.jobs,
      pollIntervalMs: options.pollIntervalMs,
    }),
    ...(options.adminTools ? adminTools(options.adminTools) : []),
    ...(options.extraTools ?? []),
  ];
  registerTools(server, tools, { log: options.log, production: options.production });

  const contextForExtra = (extra: ToolExtra, label: string) => {
    const requestId = randomUUID();
    return makeContext(baseFor(extra, requestId, options.log.child({ requestId, mcp: label })));
  };
  registerResources(server, service, contextForExtra);
  if (options.jobs) registerJobResource(server, options.jobs);
  registerPrompts(server, service, contextForExtra);
  return server;
}
