/**
 * Spans through @opentelemetry/api with the trace ids bosun already propagates: a span is
 * started as the child of an incoming W3C traceparent (or as a new trace), and the
 * traceparent a transport sends onward is the span's own, so a trace viewer shows the chain
 * HTTP -> RPC -> job. Transports take a `SpanTracer` as an option; without one they keep the
 * hand-made ids of trace-context.ts and touch no OpenTelemetry code at all.
 *
 * Invariants:
 * - SPAN_IS_THE_TRACEPARENT: `span.traceparent` is formatted from the span's own context,
 *   so whatever a handler sends onward (RPC, events, job rows) names this span as parent.
 * - TRACING_OFF_COSTS_NOTHING: `globalSpanTracer()` is undefined while @opentelemetry/api is
 *   a no-op (no provider registered); callers check it once at construction, not per request.
 * - ERRORS_CARRY_THEIR_CODE: `fail(error)` sets `bosun.error.code` and `bosun.error.status`;
 *   the span status is ERROR except for a server span answering a client fault (< 500),
 *   as OpenTelemetry's conventions ask.
 * Not here: exporters, providers, sampling (the runtime, or the application, registers them);
 * no context manager is used: bosun passes the parent explicitly.
 */
import {
  type Attributes,
  type AttributeValue,
  ProxyTracerProvider,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { toBosunError } from '../errors/normalize-error.js';
import { formatTraceparent, parseTraceparent, type TraceContext } from './trace-context.js';

export type SpanRole = 'server' | 'client' | 'producer' | 'consumer';

/** One span bosun started. */
export interface SpanHandle {
  /** The span's own ids (SPAN_IS_THE_TRACEPARENT). */
  readonly context: TraceContext;
  /** `context` as a W3C traceparent: what to send onward. */
  readonly traceparent: string;
  setAttribute(key: string, value: AttributeValue): void;
  /** Records a failure: `bosun.error.code`, `bosun.error.status`, the exception, the status. */
  fail(error: unknown): void;
  /** Ends the span. Idempotent (OpenTelemetry ignores a second end, with a warning). */
  end(): void;
}

export interface SpanTracer {
  /**
   * Starts a span named `name` as the child of `parent` (a traceparent; a malformed or
   * missing one starts a new trace).
   * @example
   * const span = tracer.start('rpc users.getUser', 'server', headers.traceparent);
   * try { ... } catch (e) { span.fail(e); throw e; } finally { span.end(); }
   */
  start(
    name: string,
    role: SpanRole,
    parent: string | null | undefined,
    attributes?: Attributes,
    /** When the work began, as `performance.now()` (default: now). */
    startTime?: number,
  ): SpanHandle;
}

const KINDS: Record<SpanRole, SpanKind> = {
  server: SpanKind.SERVER,
  client: SpanKind.CLIENT,
  producer: SpanKind.PRODUCER,
  consumer: SpanKind.CONSUMER,
};

class BosunSpan implements SpanHandle {
  readonly context: TraceContext;
  readonly traceparent: string;
  private ended = false;

  constructor(
    private readonly span: Span,
    private readonly role: SpanRole,
  ) {
    const own = span.spanContext();
    this.context = { traceId: own.traceId, spanId: own.spanId, flags: own.traceFlags };
    this.traceparent = formatTraceparent(this.context);
  }

  setAttribute(key: string, value: AttributeValue): void {
    this.span.setAttribute(key, value);
  }

  fail(error: unknown): void {
    const err = toBosunError(error);
    this.span.setAttribute('bosun.error.code', err.code);
    this.span.setAttribute('bosun.error.status', err.status);
    this.span.recordException(err);
    if (this.role !== 'server' || err.status >= 500)
      this.span.setStatus({ code: SpanStatusCode.ERROR, message: err.code });
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.span.end();
  }
}

/** A SpanTracer over an OpenTelemetry tracer (e.g. `provider.getTracer('bosun')`). */
export function createSpanTracer(tracer: Tracer): SpanTracer {
  return {
    start(name, role, parent, attributes, startTime) {
      const remote = parseTraceparent(parent);
      const context = remote
        ? trace.setSpanContext(ROOT_CONTEXT, {
            traceId: remote.traceId,
            spanId: remote.spanId,
            traceFlags: remote.flags,
            isRemote: true,
          })
        : ROOT_CONTEXT;
      return new BosunSpan(
        tracer.startSpan(name, { kind: KINDS[role], attributes, startTime }, context),
        role,
      );
    },
  };
}

// What ProxyTracerProvider.getDelegate() answers while nothing is registered.
const NOOP_PROVIDER = new ProxyTracerProvider().getDelegate();

/** True when a tracer provider is registered with @opentelemetry/api (its calls are no longer no-ops). */
export function hasGlobalTracerProvider(): boolean {
  const provider = trace.getTracerProvider();
  const delegate = provider instanceof ProxyTracerProvider ? provider.getDelegate() : provider;
  return delegate !== NOOP_PROVIDER;
}

/**
 * A SpanTracer over the globally registered provider, or undefined when none is registered
 * (TRACING_OFF_COSTS_NOTHING). Read once when a process is composed.
 */
export function globalSpanTracer(name = 'bosun'): SpanTracer | undefined {
  return hasGlobalTracerProvider() ? createSpanTracer(trace.getTracer(name)) : undefined;
}
