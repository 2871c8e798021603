/**
 * The seam between the MCP transport and whoever builds operation contexts (the runtime).
 * The transport knows the call's id, logger, abort signal and the verified caller; the
 * runtime adds config, db, jobs and events.
 */
import type { Caller, OperationContext } from '@bosun/core';
import type { Logger } from 'pino';

export interface McpContextBase {
  requestId: string;
  transport: 'mcp';
  log: Logger;
  /** Aborts when the client cancels the request or the session closes. */
  signal: AbortSignal;
  /** The caller from `verifyToken`, when a bearer token was verified. */
  caller?: Caller;
  /** The Streamable HTTP session, when there is one. */
  sessionId?: string;
}

export type McpContextFactory = (base: McpContextBase) => OperationContext | Promise<OperationContext>;
