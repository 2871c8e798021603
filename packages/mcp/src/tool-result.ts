/**
 * Rendering of tool results: `structuredContent` plus a text rendering on success, and
 * `isError: true` with the bosun code on failure.
 *
 * Invariants:
 * - CODES_MATCH_HTTP: a failed call's code is the BosunError's code, the same one HTTP puts
 *   in problem+json. The text starts with `<CODE>: `; `_meta['bosun.dev/error']` carries
 *   `{ code, status, retryable, requestId }` for programs.
 * - Error results never carry `structuredContent` (clients validate it against outputSchema).
 * - 5xx details are hidden in production, as in toProblem().
 */
import { type BosunError, toBosunError } from '@bosun/core';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

export const ERROR_META_KEY = 'bosun.dev/error';

export function successResult(output: unknown): CallToolResult {
  const structured =
    typeof output === 'object' && output !== null && !Array.isArray(output)
      ? (output as Record<string, unknown>)
      : { result: output ?? null };
  return {
    content: [{ type: 'text', text: JSON.stringify(output ?? null, null, 2) }],
    structuredContent: structured,
  };
}

export interface ErrorResultOptions {
  requestId?: string;
  production?: boolean;
}

export function errorResult(error: unknown, options: ErrorResultOptions = {}): CallToolResult {
  const err: BosunError = toBosunError(error);
  const hide = options.production === true && err.status >= 500;
  const detail = hide ? err.title : (err.detail ?? err.title);
  const meta: Record<string, unknown> = { code: err.code, status: err.status, retryable: err.retryable };
  if (options.requestId !== undefined) meta.requestId = options.requestId;
  if (!hide && Array.isArray(err.meta?.issues)) meta.issues = err.meta.issues;
  return {
    isError: true,
    content: [{ type: 'text', text: `${err.code}: ${detail}` }],
    _meta: { [ERROR_META_KEY]: meta },
  };
}
