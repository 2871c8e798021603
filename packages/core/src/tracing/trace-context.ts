/**
 * W3C trace context (`traceparent`): parse, format, and mint ids, so transports can carry
 * a trace across HTTP, NATS and job rows and loggers can bind `traceId`.
 *
 * Invariants:
 * - A malformed or all-zero header parses to undefined (the caller starts a new trace);
 *   it never throws on input from the wire.
 * - Ids are lowercase hex from a CSPRNG: trace 32 chars, span 16.
 * Not here: spans (span-tracer.ts, over @opentelemetry/api), exporters and sampling (the runtime).
 */
import { randomBytes } from 'node:crypto';

export interface TraceContext {
  traceId: string;
  spanId: string;
  /** Bit 0 = sampled. */
  flags: number;
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const ZERO_TRACE = '0'.repeat(32);
const ZERO_SPAN = '0'.repeat(16);

/** Parses a `traceparent` header; undefined when absent or invalid. */
export function parseTraceparent(header: string | undefined | null): TraceContext | undefined {
  if (!header) return undefined;
  const match = TRACEPARENT.exec(header.trim().toLowerCase());
  if (!match) return undefined;
  const [, version, traceId, spanId, flags, rest] = match as unknown as [
    string,
    string,
    string,
    string,
    string,
    string?,
  ];
  // Version ff is forbidden; version 00 allows nothing after the flags.
  if (version === 'ff' || (version === '00' && rest)) return undefined;
  if (traceId === ZERO_TRACE || spanId === ZERO_SPAN) return undefined;
  return { traceId, spanId, flags: Number.parseInt(flags, 16) };
}

export function formatTraceparent(context: TraceContext): string {
  return `00-${context.traceId}-${context.spanId}-${(context.flags & 0xff).toString(16).padStart(2, '0')}`;
}

export const newTraceId = (): string => randomBytes(16).toString('hex');
export const newSpanId = (): string => randomBytes(8).toString('hex');

/**
 * The context for work started because of `parent` (a child span in the same trace), or
 * a new sampled trace when there is no parent.
 * @example
 * const trace = childContext(parseTraceparent(req.headers.traceparent));
 * log = log.child({ traceId: trace.traceId, spanId: trace.spanId });
 */
export function childContext(parent: TraceContext | undefined): TraceContext {
  return parent
    ? { traceId: parent.traceId, spanId: newSpanId(), flags: parent.flags }
    : { traceId: newTraceId(), spanId: newSpanId(), flags: 1 };
}
