/**
 * Every error the HTTP transport answers leaves here, as RFC 9457 problem+json with the
 * bosun `code` and the request id.
 *
 * Invariants:
 * - NO_500_FOR_CLIENT_FAULTS: Fastify's own 4xx errors (malformed JSON, wrong content type,
 *   oversized body, bad URL) keep their 4xx status and get a core code; only a real server
 *   fault is BOSUN_INTERNAL.
 * - Details of 5xx errors are hidden in production (core's toProblem decides).
 */
import { type BosunError, coreErrors, toBosunError, toProblem } from '@bosun/core';
import type { FastifyReply } from 'fastify';

/** Fastify/avvio errors carry `statusCode` and an `FST_ERR_*` code. */
interface FastifyLikeError {
  statusCode?: number;
  code?: string;
  message?: string;
}

/** Maps whatever a handler, hook or Fastify itself threw to a BosunError. */
export function httpError(error: unknown): BosunError {
  const e = error as FastifyLikeError | null;
  const status = typeof e?.statusCode === 'number' ? e.statusCode : undefined;
  const isFastify = typeof e?.code === 'string' && e.code.startsWith('FST_');
  if (status !== undefined && status >= 400 && status < 500 && (isFastify || error instanceof SyntaxError)) {
    const detail = e?.message;
    if (status === 413) return coreErrors.create('BOSUN_PAYLOAD_TOO_LARGE', detail, { cause: error });
    if (status === 415) return coreErrors.create('BOSUN_UNSUPPORTED_MEDIA_TYPE', detail, { cause: error });
    return coreErrors.create('BOSUN_BAD_REQUEST', detail, { cause: error });
  }
  return toBosunError(error);
}

export interface ProblemReplyOptions {
  requestId: string;
  production: boolean;
  instance?: string;
}

export function sendProblem(
  reply: FastifyReply,
  error: BosunError,
  options: ProblemReplyOptions,
): FastifyReply {
  const problem = toProblem(error, options);
  return reply
    .code(error.status)
    .header('content-type', 'application/problem+json; charset=utf-8')
    .send(JSON.stringify(problem));
}
