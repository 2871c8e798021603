/**
 * The seam between the HTTP transport and whoever builds operation contexts (the
 * runtime). The transport knows the request id, its logger and the abort signal; the
 * runtime adds config, db, jobs, events and the caller. Kept as a function option so
 * @bosun/http depends on no runtime code.
 */
import type { OperationContext } from '@bosun/core';
import type { FastifyRequest } from 'fastify';
import type { Logger } from 'pino';

export interface HttpContextBase {
  requestId: string;
  transport: 'http';
  /** Child logger bound to the request id. Created on first read. */
  log: Logger;
  /**
   * Aborts when the client goes away before the response is sent. Created on first read (an
   * AbortSignal costs microseconds in Node 20): a factory should pass it on as a getter, not
   * read it, so requests that never look at it never pay for it. Read after the client left,
   * it is already aborted.
   */
  signal: AbortSignal;
  /** W3C traceparent header, when the request carried one. */
  traceparent?: string;
  /** The raw request, for headers the runtime or auth needs (authorization, ...). */
  request: FastifyRequest;
}

/** Builds the full OperationContext for one request. May be async (e.g. to verify a token). */
export type HttpContextFactory = (base: HttpContextBase) => OperationContext | Promise<OperationContext>;
