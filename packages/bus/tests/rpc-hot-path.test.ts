/**
 * The cheap RPC call path keeps its guarantees: pooled trace ids are valid W3C ids,
 * the NATS adapter's shared inbox correlates replies and still maps timeouts, no
 * responders and closed connections to coded errors, the responder's lazy logger and
 * signal behave like eager ones, and client validation still handles async schemas.
 */
import { defineService, formatTraceparent, isBosunError, operation, parseTraceparent } from '@bosun/core';
import { afterEach, describe, expect, test } from 'vitest';
import { z } from 'zod';
import { createInProcessBroker } from '../src/in-process.broker.js';
import { createInProcessTransport } from '../src/in-process.transport.js';
import { createNatsTransport } from '../src/nats.transport.js';
import { createClient } from '../src/rpc-client.js';
import { serveRpc } from '../src/rpc-server.js';
import { childTrace, fastSpanId, fastTraceId } from '../src/trace-ids.js';
import type { Transport } from '../src/transport.port.js';
import { latch, randomRoot, silentLog } from './support/fixtures.js';
import { natsUrl, skipNats } from './support/nats.js';

describe('pooled trace ids (IDS_ARE_CSPRNG)', () => {
  test('ids are lowercase hex of W3C length, unique, and parse back', () => {
    const traces = new Set<string>();
    const spans = new Set<string>();
    // More than one 4 KiB pool refill.
    for (let i = 0; i < 5000; i++) {
      const trace = fastTraceId();
      const span = fastSpanId();
      expect(trace).toMatch(/^[0-9a-f]{32}$/);
      expect(span).toMatch(/^[0-9a-f]{16}$/);
      traces.add(trace);
      spans.add(span);
    }
    expect(traces.size).toBe(5000);
    expect(spans.size).toBe(5000);
  });

  test('childTrace starts a sampled trace, or continues the parent with a new span', () => {
    const root = childTrace(undefined);
    expect(root.flags).toBe(1);
    expect(parseTraceparent(formatTraceparent(root))).toEqual(root);
    const parent = { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), flags: 0 };
    const child = childTrace(parent);
    expect(child).toMatchObject({ traceId: parent.traceId, flags: 0 });
    expect(child.spanId).not.toBe(parent.spanId);
    expect(parseTraceparent(formatTraceparent(child))).toEqual(child);
  });
});

describe.skipIf(skipNats)('NATS adapter: one inbox per connection (ONE_INBOX_PER_CONNECTION)', () => {
  const root = randomRoot();
  const open: Array<{ close(): Promise<void> }> = [];
  const transport = async () => {
    const t = await createNatsTransport({ servers: natsUrl ?? '', root });
    open.push(t);
    return t;
  };
  afterEach(async () => {
    await Promise.all(open.splice(0).map((t) => t.close().catch(() => {})));
  });

  test('concurrent requests each get their own reply', async () => {
    const server = await transport();
    const client = await transport();
    const subject = `${root}.echo.concurrent`;
    await server.serve(subject, { queue: 'q' }, async (m) => {
      // Answer out of order.
      await new Promise((r) => setTimeout(r, Math.random() * 20));
      return { data: m.data, headers: { 'x-echo': m.headers['x-n'] ?? '' } };
    });
    const replies = await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        const reply = await client.request(subject, new TextEncoder().encode(`${i}`), {
          timeoutMs: 5000,
          headers: { 'x-n': `${i}` },
        });
        return [new TextDecoder().decode(reply.data), reply.headers['x-echo']];
      }),
    );
    expect(replies).toEqual(Array.from({ length: 200 }, (_, i) => [`${i}`, `${i}`]));
  });

  test('no responders -> BOSUN_BUS_NO_RESPONDERS; no reply in time -> BOSUN_TIMEOUT; both retryable', async () => {
    const client = await transport();
    const none = await client
      .request(`${root}.nobody`, new Uint8Array(), { timeoutMs: 2000 })
      .catch((e: unknown) => e);
    expect(isBosunError(none, 'BOSUN_BUS_NO_RESPONDERS')).toBe(true);
    expect(none).toMatchObject({ retryable: true });

    const server = await transport();
    const gate = latch();
    const subject = `${root}.slow`;
    await server.serve(subject, { queue: 'q' }, async (m) => {
      await gate.promise;
      return { data: m.data };
    });
    const started = Date.now();
    const late = await client
      .request(subject, new TextEncoder().encode('late'), { timeoutMs: 100 })
      .catch((e: unknown) => e);
    expect(isBosunError(late, 'BOSUN_TIMEOUT')).toBe(true);
    expect(late).toMatchObject({ retryable: true });
    expect(Date.now() - started).toBeLessThan(2000);
    // The late reply arrives after its request gave up: it is dropped, and the inbox keeps working.
    gate.open();
    const next = await client.request(subject, new TextEncoder().encode('next'), { timeoutMs: 5000 });
    expect(new TextDecoder().decode(next.data)).toBe('next');
  });

  test('a request pending when the connection closes fails with BOSUN_BUS_CLOSED; later ones too', async () => {
    const server = await transport();
    const client = await transport();
    const subject = `${root}.never`;
    const gate = latch();
    let reached = false;
    await server.serve(subject, { queue: 'q' }, async (m) => {
      reached = true;
      await gate.promise;
      return { data: m.data };
    });
    const pending = client.request(subject, new Uint8Array(), { timeoutMs: 10_000 }).catch((e: unknown) => e);
    await expect.poll(() => reached).toBe(true);
    await client.close();
    const error = await pending;
    gate.open();
    expect(isBosunError(error, 'BOSUN_BUS_CLOSED')).toBe(true);
    const after = await client
      .request(subject, new Uint8Array(), { timeoutMs: 1000 })
      .catch((e: unknown) => e);
    expect(isBosunError(after, 'BOSUN_BUS_CLOSED')).toBe(true);
  });
});

describe('responder: lazy logger and signal', () => {
  const transports: Transport[] = [];
  afterEach(async () => {
    await Promise.all(transports.splice(0).map((t) => t.close()));
  });
  const pair = () => {
    const broker = createInProcessBroker();
    const a = createInProcessTransport({ broker, root: 'lazy' });
    const b = createInProcessTransport({ broker, root: 'lazy' });
    transports.push(a, b);
    return [a, b] as const;
  };

  test('a handler that reads ctx.log gets a logger bound to the request', async () => {
    const bindings: Array<Record<string, unknown>> = [];
    const service = defineService({
      name: 'logs',
      operations: {
        hello: operation({
          input: z.object({}),
          output: z.object({}),
          handler: (_input, ctx) => {
            bindings.push(ctx.log.bindings());
            return {};
          },
        }),
      },
    });
    const [server, caller] = pair();
    await serveRpc(server, service, { log: silentLog });
    await createClient<typeof service>(caller, 'logs').hello({}, { requestId: 'req-7' });
    expect(bindings).toEqual([expect.objectContaining({ requestId: 'req-7', operation: 'hello' })]);
    expect(bindings[0]?.traceId).toMatch(/^[0-9a-f]{32}$/);
  });

  test('a signal read while in flight aborts when drain gives up (READY_GATES_INTAKE)', async () => {
    const gate = latch();
    const seen: AbortSignal[] = [];
    const service = defineService({
      name: 'slow',
      operations: {
        wait: operation({
          input: z.object({}),
          output: z.object({ aborted: z.boolean() }),
          handler: async (_input, ctx) => {
            await gate.promise;
            seen.push(ctx.signal);
            return { aborted: ctx.signal.aborted };
          },
        }),
      },
    });
    const [server, caller] = pair();
    const rpc = await serveRpc(server, service, { log: silentLog });
    const reply = createClient<typeof service>(caller, 'slow', { resilience: { retry: false } }).wait({});
    await expect.poll(() => rpc.inFlight).toBe(1);
    const deadline = new AbortController();
    const drained = rpc.drain(deadline.signal);
    deadline.abort();
    await expect(drained).resolves.toEqual({ abandoned: [expect.stringContaining('rpc:wait#')] });
    gate.open();
    await expect(reply).resolves.toEqual({ aborted: true });
    expect(seen[0]?.aborted).toBe(true);
  });
});

describe('client validation (sync safeParse, async fallback)', () => {
  test('a schema with an async refinement is still checked before sending', async () => {
    const service = defineService({
      name: 'refined',
      operations: {
        check: operation({
          input: z.object({ code: z.string().refine(async (v) => v.startsWith('ok')) }),
          output: z.object({}),
          handler: () => ({}),
        }),
      },
    });
    // No server: a call that passed validation would fail with BOSUN_BUS_NO_RESPONDERS.
    const t = createInProcessTransport({ broker: createInProcessBroker() });
    const client = createClient<typeof service>(t, 'refined', {
      definition: service,
      resilience: { retry: false },
    });
    for (let i = 0; i < 2; i++) {
      const refused = await client.check({ code: 'bad' }).catch((e: unknown) => e);
      expect(isBosunError(refused, 'BOSUN_VALIDATION_FAILED')).toBe(true);
      const passed = await client.check({ code: 'ok-1' }).catch((e: unknown) => e);
      expect(isBosunError(passed, 'BOSUN_BUS_NO_RESPONDERS')).toBe(true);
    }
    await t.close();
  });
});
