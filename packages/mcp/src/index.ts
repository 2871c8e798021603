/**
 * @bosun/mcp — a service's operations, resources and prompts as an MCP server (tools with
 * bosun error codes, long-running tools on a jobs port, opt-in queue admin tools), over
 * Streamable HTTP on the service's Fastify app or over stdio.
 */
export type { AdminToolsOptions } from './admin-tools.js';
export { adminTools } from './admin-tools.js';
export type { McpServerOptions } from './build-mcp-server.js';
export { buildMcpServer } from './build-mcp-server.js';
export type { McpClientConfig, McpClientConfigOptions } from './client-config.js';
export { mcpClientConfig } from './client-config.js';
export type { McpContextBase, McpContextFactory } from './context-factory.js';
export type { JobProgress, JobSnapshot, JobsPort, QueueAdminPort } from './jobs.port.js';
export { jobResourceUri, TERMINAL_STATES } from './jobs.port.js';
export { JOB_META_KEY } from './long-running.js';
export type { McpErrorCode } from './mcp.errors.js';
export { mcpErrors } from './mcp.errors.js';
export type { McpMount, MountMcpOptions } from './mount-mcp.js';
export { mountMcp } from './mount-mcp.js';
export type { OriginPolicy } from './origin-guard.js';
export { isOriginAllowed } from './origin-guard.js';
export type { McpStdio } from './serve-stdio.js';
export { serveMcpStdio } from './serve-stdio.js';
export type { SessionTable, SessionTableOptions } from './session-table.js';
export { createSessionTable } from './session-table.js';
export type { ConnectableServer } from './stateless-request.js';
export { serveStatelessRequest } from './stateless-request.js';
export type { ToolCall, ToolEntry } from './tool-registry.js';
export { ERROR_META_KEY, errorResult, successResult } from './tool-result.js';
