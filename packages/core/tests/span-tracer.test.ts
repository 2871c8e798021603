/**
 * span-tracer.ts: SPAN_IS_THE_TRACEPARENT, ERRORS_CARRY_THEIR_CODE, TRACING_OFF_COSTS_NOTHING,
 * against the real OpenTelemetry SDK with an in-memory exporter.
 */
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, test } from 'vitest';
import { coreErrors } from '../src/errors/core.errors.js';
import { createSpanTracer, globalSpanTracer, hasGlobalTracerProvider } from '../src/tracing/span-tracer.js';
import { parseTraceparent } from '../src/tracing/trace-context.js';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT = `00-${TRACE_ID}-00f067aa0ba902b7-01`;

function setup() {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  return { exporter, provider, tracer: createSpanTracer(provider.getTracer('test')) };
}

afterEach(() => {
  trace.disable();
});

describe('createSpanTracer', () => {
  test('a span is the child of the incoming traceparent, and its own traceparent names it', () => {
    const { exporter, tracer } = setup();
    const span = tracer.start('rpc users.getUser', 'server', PARENT, { 'rpc.method': 'getUser' });
    span.end();
    const [done] = exporter.getFinishedSpans();
    expect(done?.name).toBe('rpc users.getUser');
    expect(done?.kind).toBe(SpanKind.SERVER);
    expect(done?.spanContext().traceId).toBe(TRACE_ID);
    expect(done?.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
    expect(done?.attributes['rpc.method']).toBe('getUser');
    expect(parseTraceparent(span.traceparent)).toEqual({
      traceId: TRACE_ID,
      spanId: done?.spanContext().spanId,
      flags: 1,
    });
  });

  test('a missing or malformed traceparent starts a new trace instead of throwing', () => {
    const { exporter, tracer } = setup();
    tracer.start('a', 'client', undefined).end();
    tracer.start('b', 'client', '00-not-a-trace-01').end();
    const [a, b] = exporter.getFinishedSpans();
    expect(a?.parentSpanContext).toBeUndefined();
    expect(b?.parentSpanContext).toBeUndefined();
    expect(a?.spanContext().traceId).not.toBe(b?.spanContext().traceId);
  });

  test('fail() records the bosun code and status; a server span answering a 4xx stays unset, a 5xx is an error', () => {
    const { exporter, tracer } = setup();
    const clientFault = tracer.start('GET /users/:id', 'server', PARENT);
    clientFault.fail(coreErrors.create('BOSUN_NOT_FOUND', 'No user 7.'));
    clientFault.end();
    const crash = tracer.start('GET /users/:id', 'server', PARENT);
    crash.fail(new Error('boom'));
    crash.end();
    const call = tracer.start('rpc users.getUser', 'client', PARENT);
    call.fail(coreErrors.create('BOSUN_NOT_FOUND', 'No user 7.'));
    call.end();
    const [four, five, client] = exporter.getFinishedSpans();
    expect(four?.attributes['bosun.error.code']).toBe('BOSUN_NOT_FOUND');
    expect(four?.attributes['bosun.error.status']).toBe(404);
    expect(four?.status.code).toBe(SpanStatusCode.UNSET);
    expect(five?.attributes['bosun.error.code']).toBe('BOSUN_INTERNAL');
    expect(five?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'BOSUN_INTERNAL' });
    expect(five?.events.map((e) => e.name)).toContain('exception');
    expect(client?.status.code).toBe(SpanStatusCode.ERROR);
  });

  test('a start time given as performance.now() dates the span from then (HTTP spans start at onRequest)', () => {
    const { exporter, tracer } = setup();
    const before = Date.now();
    tracer.start('POST /orders', 'server', PARENT, undefined, performance.now() - 60_000).end();
    const [seconds] = exporter.getFinishedSpans()[0]!.startTime;
    expect(seconds * 1000).toBeLessThan(before - 30_000);
    expect(seconds * 1000).toBeGreaterThan(before - 120_000);
  });

  test('end() twice exports the span once', () => {
    const { exporter, tracer } = setup();
    const span = tracer.start('job send-email', 'consumer', PARENT);
    span.end();
    span.end();
    expect(exporter.getFinishedSpans()).toHaveLength(1);
  });
});

describe('globalSpanTracer (TRACING_OFF_COSTS_NOTHING)', () => {
  test('is undefined while no provider is registered, and a tracer once one is', () => {
    expect(hasGlobalTracerProvider()).toBe(false);
    expect(globalSpanTracer()).toBeUndefined();
    const { exporter, provider } = setup();
    expect(trace.setGlobalTracerProvider(provider)).toBe(true);
    expect(hasGlobalTracerProvider()).toBe(true);
    globalSpanTracer()!.start('GET /', 'server', PARENT).end();
    expect(exporter.getFinishedSpans()[0]?.spanContext().traceId).toBe(TRACE_ID);
    trace.disable();
    expect(hasGlobalTracerProvider()).toBe(false);
  });
});
