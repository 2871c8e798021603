/**
 * W3C trace context across bus headers: take the `traceparent` of incoming headers and
 * start a child span, or start a new trace; write it into outgoing headers. Built on
 * core's trace-context (no OpenTelemetry SDK needed).
 *
 * Invariant: a malformed incoming header starts a new trace; it never throws.
 */
import { childContext, formatTraceparent, parseTraceparent, type TraceContext } from '@bosun/core';

export const TRACEPARENT = 'traceparent';

/** The context for work caused by a message carrying `headers`. */
export function extractTrace(headers: Record<string, string | undefined>): TraceContext {
  return childContext(parseTraceparent(headers[TRACEPARENT]));
}

/** Returns `headers` plus the traceparent of `context`. */
export function injectTrace<H extends Record<string, string>>(
  headers: H,
  context: TraceContext,
): H & { traceparent: string } {
  return { ...headers, [TRACEPARENT]: formatTraceparent(context) };
}
