/**
 * @bosun/mcp's own error codes. Tool errors from operations keep the operation's code
 * (the same code HTTP answers); these are for the MCP transport itself.
 */
import { defineErrors } from '@bosun/core';

export const mcpErrors = defineErrors('@bosun/mcp', {
  BOSUN_MCP_SESSION_NOT_FOUND: {
    status: 404,
    retryable: false,
    title: 'No MCP session has this id (it expired or the server restarted); initialize a new session',
  },
  BOSUN_MCP_SESSION_REQUIRED: {
    status: 400,
    retryable: false,
    title: 'This request needs an mcp-session-id header; send an initialize request first',
  },
  BOSUN_MCP_TOO_MANY_SESSIONS: {
    status: 503,
    retryable: true,
    title: 'The MCP session table is full; retry later or close unused sessions',
  },
  BOSUN_MCP_ORIGIN_FORBIDDEN: {
    status: 403,
    retryable: false,
    title: 'The Origin header is not allowed (DNS rebinding protection); add it to allowedOrigins',
  },
  BOSUN_MCP_METHOD_NOT_ALLOWED: {
    status: 405,
    retryable: false,
    title: 'This HTTP method is not served at the MCP endpoint in this mode; use POST',
  },
  BOSUN_MCP_TOOL_NOT_FOUND: {
    status: 404,
    retryable: false,
    title: 'No tool has this name; call tools/list',
  },
  BOSUN_MCP_JOB_NOT_FOUND: { status: 404, retryable: false, title: 'No job has this id' },
  BOSUN_MCP_JOB_FAILED: {
    status: 500,
    retryable: false,
    title: 'The job behind a long-running tool failed; read its resource for the error',
  },
  BOSUN_MCP_JOB_NOT_ENQUEUED: {
    status: 500,
    retryable: false,
    title:
      "A long-running operation's handler did not send its job; call ctx.jobs.send(<longRunning.job>, data)",
  },
});

export type McpErrorCode = keyof typeof mcpErrors.specs;
