/**
 * The cheap hot path keeps its promises: invoke() parses synchronously and falls back to
 * zod's async parse only for schemas that need it (SYNC_PARSE_FIRST); routeInput builds a
 * plain object with no prototype keys (NO_PROTOTYPE_KEYS); the lazily made abort signal
 * still aborts when the client goes away, even when first read after it left.
 */
import { connect } from 'node:net';
import {
  type AnyService,
  type BosunError,
  defineService,
  invoke,
  isBosunError,
  type OperationContext,
  operation,
} from '@bosun/core';
import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import type { HttpContextBase } from '../src/context-factory.js';
import { createHttpServer, type HttpServer } from '../src/create-http-server.js';
import { routeInput } from '../src/route-input.js';
import { testContext } from './fixtures/test-context.js';

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

const failure = (p: Promise<unknown>) =>
  p.then(
    () => expect.fail('expected a rejection'),
    (e: unknown) => e as BosunError,
  );

const ctx = (): OperationContext =>
  testContext({
    requestId: 'r-1',
    transport: 'http',
    log: pino({ level: 'silent' }),
    signal: new AbortController().signal,
    request: undefined as never,
  });

async function until(check: () => boolean, ms = 2000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('invoke: sync parse first, async only when the schema needs it (SYNC_PARSE_FIRST)', () => {
  it('a sync schema is parsed with safeParse only, input and output', async () => {
    const input = z.object({ n: z.number().int() });
    const output = z.object({ doubled: z.number() });
    const inAsync = vi.spyOn(input, 'safeParseAsync');
    const outAsync = vi.spyOn(output, 'safeParseAsync');
    const service = defineService({
      name: 'sync',
      operations: { double: operation({ input, output, handler: ({ n }) => ({ doubled: n * 2 }) }) },
    });
    await expect(invoke(service, 'double', { n: 2 }, ctx())).resolves.toEqual({ doubled: 4 });
    const bad = await failure(invoke(service, 'double', { n: 1.5 }, ctx()));
    expect(isBosunError(bad, 'BOSUN_VALIDATION_FAILED')).toBe(true);
    expect(inAsync).not.toHaveBeenCalled();
    expect(outAsync).not.toHaveBeenCalled();
  });

  it("zod's own length checks and message options keep a schema on the sync path; a refine beside them does not", async () => {
    // zod gives every min/max/length check a `when` function, and a string message becomes an
    // `error` function: neither is awaited in either mode, so neither may force an async parse.
    const input = z.object({
      name: z.string().min(1).max(50, 'at most 50 characters'),
      tags: z
        .array(z.string().max(20))
        .max(5, { error: () => 'five tags at most' })
        .default([]),
      quantity: z.number().int().min(1).max(1000),
    });
    const output = z.object({
      name: z.string().min(1),
      tags: z.array(z.string()).nonempty().or(z.array(z.string())),
    });
    const refined = z.object({
      name: z
        .string()
        .min(1)
        .refine((n) => n !== 'x'),
    });
    const spies = [input, output].map((schema) => vi.spyOn(schema, 'safeParseAsync'));
    const refinedAsync = vi.spyOn(refined, 'safeParseAsync');
    const service = defineService({
      name: 'length-checks',
      operations: {
        add: operation({ input, output, handler: ({ name, tags }) => ({ name, tags }) }),
        named: operation({ input: refined, output: z.object({ name: z.string() }), handler: (v) => v }),
      },
    });
    await expect(invoke(service, 'add', { name: 'pen', quantity: 3 }, ctx())).resolves.toEqual({
      name: 'pen',
      tags: [],
    });
    const long = await failure(invoke(service, 'add', { name: 'p'.repeat(51), quantity: 3 }, ctx()));
    expect(isBosunError(long, 'BOSUN_VALIDATION_FAILED')).toBe(true);
    expect(JSON.stringify(long.meta?.issues)).toContain('at most 50 characters');
    const many = await failure(
      invoke(service, 'add', { name: 'pen', tags: ['a', 'b', 'c', 'd', 'e', 'f'], quantity: 3 }, ctx()),
    );
    expect(JSON.stringify(many.meta?.issues)).toContain('five tags at most');
    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
    await expect(invoke(service, 'named', { name: 'y' }, ctx())).resolves.toEqual({ name: 'y' });
    expect(refinedAsync).toHaveBeenCalledTimes(1);
  });

  it('an `async` refinement on the input is parsed async from the first call, and honoured', async () => {
    const taken = new Set(['bob']);
    const input = z.object({
      name: z.string().refine(async (name) => !taken.has(name), { message: 'name is taken' }),
    });
    const inAsync = vi.spyOn(input, 'safeParseAsync');
    const inSync = vi.spyOn(input, 'safeParse');
    let calls = 0;
    const service = defineService({
      name: 'async-in',
      operations: {
        register: operation({
          input,
          output: z.object({ name: z.string() }),
          handler: ({ name }) => {
            calls++;
            return { name };
          },
        }),
      },
    });
    await expect(invoke(service, 'register', { name: 'ann' }, ctx())).resolves.toEqual({ name: 'ann' });
    for (let i = 0; i < 2; i++) {
      const bad = await failure(invoke(service, 'register', { name: 'bob' }, ctx()));
      expect(isBosunError(bad, 'BOSUN_VALIDATION_FAILED')).toBe(true);
      expect(JSON.stringify(bad.meta?.issues)).toContain('name is taken');
    }
    await expect(invoke(service, 'register', { name: 'cy' }, ctx())).resolves.toEqual({ name: 'cy' });
    expect(calls).toBe(2); // INPUT_IS_VALIDATED: the refused names never reached the handler
    expect(inAsync).toHaveBeenCalledTimes(4);
    expect(inSync).not.toHaveBeenCalled(); // an `async` function is seen before the first call: no sync attempt
  });

  it('a check that returns a promise without being `async` is parsed async from the first call, once per call', async () => {
    let checks = 0;
    const input = z.object({
      name: z.string().refine(
        (n) => {
          checks++;
          return Promise.resolve(n !== 'taken');
        },
        { message: 'name is taken' },
      ),
      loud: z
        .string()
        .optional()
        .transform((w) => Promise.resolve(w?.toUpperCase())),
    });
    const sync = vi.spyOn(input, 'safeParse');
    const service = defineService({
      name: 'thenable-in',
      operations: {
        claim: operation({
          input,
          output: z.object({ name: z.string(), loud: z.string().optional() }),
          handler: (v) => v,
        }),
      },
    });
    await expect(invoke(service, 'claim', { name: 'ann', loud: 'hi' }, ctx())).resolves.toEqual({
      name: 'ann',
      loud: 'HI',
    });
    const bad = await failure(invoke(service, 'claim', { name: 'taken' }, ctx()));
    expect(isBosunError(bad, 'BOSUN_VALIDATION_FAILED')).toBe(true);
    expect(sync).not.toHaveBeenCalled(); // user code in the schema: never a sync attempt
    expect(checks).toBe(2); // once per call, never twice (SYNC_ONLY_WITHOUT_USER_CODE)
  });

  it('a promise-returning check that rejects leaves no unhandled rejection behind', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const input = z.object({ n: z.number().refine(() => Promise.reject(new Error('lookup failed'))) });
      const service = defineService({
        name: 'rejecting-check',
        operations: { go: operation({ input, output: z.object({ n: z.number() }), handler: (v) => v }) },
      });
      const error = await failure(invoke(service, 'go', { n: 1 }, ctx()));
      expect(isBosunError(error, 'BOSUN_INTERNAL')).toBe(true);
      expect((error as Error).cause).toMatchObject({ message: 'lookup failed' });
      await new Promise((r) => setTimeout(r, 50));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('a check that throws rejects invoke with BOSUN_INTERNAL keeping the throw as its cause', async () => {
    const input = z.object({
      n: z.number().refine((n) => {
        if (n === 13) throw new RangeError('unlucky');
        return true;
      }),
    });
    const service = defineService({
      name: 'throwing-check',
      operations: { go: operation({ input, output: z.object({ n: z.number() }), handler: (v) => v }) },
    });
    const error = await failure(invoke(service, 'go', { n: 13 }, ctx()));
    expect(isBosunError(error, 'BOSUN_INTERNAL')).toBe(true);
    expect((error as Error).cause).toBeInstanceOf(RangeError);
    await expect(invoke(service, 'go', { n: 1 }, ctx())).resolves.toEqual({ n: 1 });
  });

  it('an async transform on the input hands the handler its result', async () => {
    const service = defineService({
      name: 'async-transform',
      operations: {
        shout: operation({
          input: z.object({ word: z.string().transform(async (w) => w.toUpperCase()) }),
          output: z.object({ said: z.string() }),
          handler: ({ word }) => ({ said: word }),
        }),
      },
    });
    await expect(invoke(service, 'shout', { word: 'hi' }, ctx())).resolves.toEqual({ said: 'HI' });
    await expect(invoke(service, 'shout', { word: 'yo' }, ctx())).resolves.toEqual({ said: 'YO' });
  });

  it('an async refinement on the output still makes bad output BOSUN_OUTPUT_INVALID (OUTPUT_IS_VALIDATED)', async () => {
    const service = defineService({
      name: 'async-out',
      operations: {
        echo: operation({
          input: z.object({ v: z.number() }),
          output: z.object({ v: z.number().refine(async (v) => v >= 0, { message: 'negative' }) }),
          handler: async ({ v }) => ({ v }),
        }),
      },
    });
    await expect(invoke(service, 'echo', { v: 1 }, ctx())).resolves.toEqual({ v: 1 });
    for (let i = 0; i < 2; i++) {
      const bad = await failure(invoke(service, 'echo', { v: -1 }, ctx()));
      expect(bad.code).toBe('BOSUN_OUTPUT_INVALID');
      expect(bad.message).toContain('negative');
    }
  });

  it('sync and async handlers, and a sync throw, all go through the same error mapping', async () => {
    const service = defineService({
      name: 'handlers',
      operations: {
        sync: operation({
          input: z.object({}),
          output: z.object({ ok: z.boolean() }),
          handler: () => ({ ok: true }),
        }),
        promise: operation({
          input: z.object({}),
          output: z.object({ ok: z.boolean() }),
          handler: async () => ({ ok: true }),
        }),
        throws: operation({
          input: z.object({}),
          output: z.object({ ok: z.boolean() }),
          handler: () => {
            throw new TypeError('sync crash');
          },
        }),
      },
    });
    await expect(invoke(service, 'sync', {}, ctx())).resolves.toEqual({ ok: true });
    await expect(invoke(service, 'promise', {}, ctx())).resolves.toEqual({ ok: true });
    const crash = await failure(invoke(service, 'throws', {}, ctx()));
    expect(crash.code).toBe('BOSUN_INTERNAL');
    expect(crash.cause).toBeInstanceOf(TypeError);
  });

  it('an aborted signal stops the handler; a lazy (getter) signal is not read unless the parse was async (LAZY_SIGNAL_IS_THE_CALLERS)', async () => {
    let handled = 0;
    const service = defineService({
      name: 'lazy-signal',
      operations: {
        plain: operation({
          input: z.object({}),
          output: z.object({ ok: z.boolean() }),
          handler: () => {
            handled++;
            return { ok: true };
          },
        }),
        slowInput: operation({
          input: z.object({}).refine(async () => true),
          output: z.object({ ok: z.boolean() }),
          handler: () => {
            handled++;
            return { ok: true };
          },
        }),
      },
    });
    const aborted = new AbortController();
    aborted.abort();
    const eager = { ...ctx(), signal: aborted.signal };
    const refused = await failure(invoke(service, 'plain', {}, eager));
    expect(refused.code).toBe('BOSUN_UNAVAILABLE');
    expect(handled).toBe(0);

    let reads = 0;
    const lazy = Object.defineProperty(ctx(), 'signal', {
      get: () => {
        reads++;
        return aborted.signal;
      },
      enumerable: true,
    });
    await expect(invoke(service, 'plain', {}, lazy)).resolves.toEqual({ ok: true });
    expect(reads).toBe(0); // the supplier of a lazy signal checks before calling invoke
    const late = await failure(invoke(service, 'slowInput', {}, lazy));
    expect(late.code).toBe('BOSUN_UNAVAILABLE'); // time passed during the async parse: read
    expect(reads).toBe(1);
    expect(handled).toBe(1);
  });

  it('over HTTP, an async-refined input answers 400 BOSUN_VALIDATION_FAILED or 200', async () => {
    const service = defineService({
      name: 'async-http',
      operations: {
        claim: operation({
          input: z.object({
            name: z.string().refine(async (n) => n !== 'taken', { message: 'name is taken' }),
          }),
          output: z.object({ name: z.string() }),
          http: 'POST /claims',
          handler: ({ name }) => ({ name }),
        }),
      },
    });
    const server = createHttpServer({ service, log: pino({ level: 'silent' }), createContext: testContext });
    const bad = await server.app.inject({ method: 'POST', url: '/claims', payload: { name: 'taken' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'BOSUN_VALIDATION_FAILED' });
    const ok = await server.app.inject({ method: 'POST', url: '/claims', payload: { name: 'free' } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ name: 'free' });
    await server.close();
  });
});

describe('routeInput builds a plain object without prototype keys (NO_PROTOTYPE_KEYS)', () => {
  it('skips __proto__, constructor and prototype from body, query and params', () => {
    const body = JSON.parse(
      '{"__proto__": {"polluted": true}, "constructor": {"prototype": {"x": 1}}, "a": 1}',
    );
    const input = routeInput({ method: 'POST', params: { id: 'p' }, query: {}, body }) as Record<
      string,
      unknown
    >;
    expect(Object.getPrototypeOf(input)).toBe(Object.prototype);
    expect(Object.keys(input).sort()).toEqual(['a', 'id']);
    expect((input as { polluted?: unknown }).polluted).toBeUndefined();
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    expect(input.constructor).toBe(Object);

    const query = Object.assign(Object.create(null), { __proto__: 'x', prototype: 'y', q: '1' });
    const fromQuery = routeInput({ method: 'GET', params: {}, query, body: undefined }) as Record<
      string,
      unknown
    >;
    expect(Object.getPrototypeOf(fromQuery)).toBe(Object.prototype);
    expect(Object.keys(fromQuery)).toEqual(['q']);

    const params = JSON.parse('{"__proto__": {"polluted": true}, "id": "p"}');
    const fromParams = routeInput({ method: 'DELETE', params, query: { id: 'q' }, body: undefined });
    expect(fromParams).toEqual({ id: 'p' }); // PATH_PARAMS_WIN
    expect(Object.getPrototypeOf(fromParams)).toBe(Object.prototype);
  });

  it('passes a non-object body as it is, and reads a missing body as the path parameters', () => {
    expect(routeInput({ method: 'POST', params: {}, query: {}, body: [1, 2] })).toEqual([1, 2]);
    expect(routeInput({ method: 'PUT', params: { id: 'a' }, query: { x: '1' }, body: null })).toEqual({
      id: 'a',
    });
  });
});

describe('the abort signal, made on first read, aborts when the client goes away', () => {
  let server: HttpServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  /** A service whose operation `wait` runs `body(ctx)`; the context passes the signal as a getter. */
  function start(body: (ctx: OperationContext) => Promise<void>, beforeContext?: () => Promise<void>) {
    let handled = 0;
    const service: AnyService = defineService({
      name: 'abort',
      operations: {
        wait: operation({
          input: z.object({}),
          output: z.object({ ok: z.boolean() }),
          http: 'POST /wait',
          handler: async (_input, ctx) => {
            handled++;
            await body(ctx);
            return { ok: true };
          },
        }),
      },
    });
    const createContext = async (base: HttpContextBase): Promise<OperationContext> => {
      await beforeContext?.();
      const { signal: _eager, ...rest } = testContext({ ...base, signal: undefined as never });
      return Object.defineProperty(rest, 'signal', {
        get: () => base.signal,
        enumerable: true,
      }) as OperationContext;
    };
    server = createHttpServer({ service, log: pino({ level: 'silent' }), createContext });
    return { server, handled: () => handled };
  }

  /** Sends POST /wait on a raw socket; returns a function that drops the connection. */
  async function send(address: string): Promise<() => void> {
    const { hostname, port } = new URL(address);
    const socket = connect(Number(port), hostname);
    await new Promise<void>((r) => socket.once('connect', () => r()));
    socket.write(
      'POST /wait HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}',
    );
    socket.on('error', () => {});
    return () => socket.destroy();
  }

  it('aborts a signal the handler is holding when the client disconnects, and ends the in-flight entry', async () => {
    const entered = deferred();
    const aborted = deferred<boolean>();
    const { server: s } = start(async (ctx) => {
      const signal = ctx.signal;
      entered.resolve();
      await new Promise<void>((r) => signal.addEventListener('abort', () => r(), { once: true }));
      aborted.resolve(signal.aborted);
    });
    const drop = await send(await s.listen({ port: 0, host: '127.0.0.1' }));
    await entered.promise;
    expect(s.inFlight.size).toBe(1);
    drop();
    expect(await aborted.promise).toBe(true);
    await until(() => s.inFlight.size === 0);
  });

  it('is already aborted when first read after the client left', async () => {
    const entered = deferred();
    const release = deferred();
    const seen = deferred<boolean>();
    const { server: s } = start(async (ctx) => {
      entered.resolve();
      await release.promise;
      seen.resolve(ctx.signal.aborted);
    });
    const drop = await send(await s.listen({ port: 0, host: '127.0.0.1' }));
    await entered.promise;
    drop();
    await until(() => s.inFlight.size === 0); // the close listener has run
    release.resolve();
    expect(await seen.promise).toBe(true);
  });

  it('a client gone while the context was being built never reaches the handler', async () => {
    const building = deferred();
    const gate = deferred();
    const { server: s, handled } = start(
      async () => {},
      () => {
        building.resolve();
        return gate.promise;
      },
    );
    const drop = await send(await s.listen({ port: 0, host: '127.0.0.1' }));
    await building.promise;
    expect(s.inFlight.size).toBe(1);
    drop();
    await until(() => s.inFlight.size === 0);
    gate.resolve();
    await new Promise((r) => setTimeout(r, 50));
    expect(handled()).toBe(0);
  });

  it('a request that completes never aborts its signal', async () => {
    const signals: AbortSignal[] = [];
    const { server: s } = start(async (ctx) => {
      signals.push(ctx.signal);
    });
    const address = await s.listen({ port: 0, host: '127.0.0.1' });
    const res = await fetch(`${address}/wait`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(200);
    await until(() => s.inFlight.size === 0);
    expect(signals).toHaveLength(1);
    expect(signals[0]!.aborted).toBe(false);
  });
});
