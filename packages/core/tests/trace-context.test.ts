import { describe, expect, test } from 'vitest';
import { childContext, formatTraceparent, parseTraceparent } from '../src/tracing/trace-context.js';

describe('trace context', () => {
  const header = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

  test('parses and formats a W3C traceparent round trip', () => {
    const context = parseTraceparent(header);
    expect(context).toEqual({
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      flags: 1,
    });
    expect(formatTraceparent(context!)).toBe(header);
  });

  test.each([
    undefined,
    '',
    'garbage',
    '00-00000000000000000000000000000000-00f067aa0ba902b7-01',
    '00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01',
    'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    `${header}-extra`,
  ])('an invalid header %j parses to undefined', (value) => {
    expect(parseTraceparent(value)).toBeUndefined();
  });

  test('a child keeps the trace id and gets a new span id; no parent starts a sampled trace', () => {
    const parent = parseTraceparent(header)!;
    const child = childContext(parent);
    expect(child.traceId).toBe(parent.traceId);
    expect(child.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(child.spanId).not.toBe(parent.spanId);
    const root = childContext(undefined);
    expect(root.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(root.flags).toBe(1);
  });
});
