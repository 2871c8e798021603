/**
 * RFC 9457 problem+json rendering of a BosunError. Outside production the detail and
 * meta of internal (5xx) errors are included; in production a 5xx shows only its title,
 * so internals never leak to callers.
 */
import type { BosunError } from './bosun-error.js';

export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail?: string;
  code: string;
  retryable: boolean;
  requestId?: string;
  instance?: string;
  [extension: string]: unknown;
}

export interface ProblemOptions {
  requestId?: string;
  instance?: string;
  production: boolean;
}

export function toProblem(error: BosunError, options: ProblemOptions): ProblemDocument {
  const hideInternals = options.production && error.status >= 500;
  const problem: ProblemDocument = {
    type: `https://bosun.dev/errors/${error.code}`,
    title: error.title,
    status: error.status,
    code: error.code,
    retryable: error.retryable,
  };
  if (!hideInternals && error.detail !== undefined) problem.detail = error.detail;
  if (!hideInternals && error.meta !== undefined) {
    // Extension members never overwrite the standard ones.
    for (const [key, value] of Object.entries(error.meta)) if (!(key in problem)) problem[key] = value;
  }
  if (options.requestId !== undefined) problem.requestId = options.requestId;
  if (options.instance !== undefined) problem.instance = options.instance;
  return problem;
}
