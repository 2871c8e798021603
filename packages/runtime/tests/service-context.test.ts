/**
 * LAZY_STAYS_LAZY: the runtime's context passes a transport's lazy logger and signal on as
 * getters, so a request whose handler never reads them never makes them; a plain signal is
 * copied, so core's invoke still refuses a request whose signal is already aborted.
 */
import { defineService, invoke, isBosunError, operation } from '@bosun/core';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type ContextBase, createContextFactory } from '../src/service-context.js';

const service = defineService({
  name: 'lazy',
  operations: {
    plain: operation({
      input: z.object({ n: z.number().min(0) }),
      output: z.object({ n: z.number() }),
      handler: (v) => v,
    }),
    logs: operation({
      input: z.object({}),
      output: z.object({ aborted: z.boolean() }),
      handler: (_input, ctx) => {
        ctx.log.info('hello');
        return { aborted: ctx.signal.aborted };
      },
    }),
  },
});

function factory(log = pino({ level: 'silent' })) {
  return createContextFactory({
    service,
    config: {},
    log,
    db: () => undefined,
    jobs: { send: async () => ({ id: '1' }) },
    events: { publish: async () => {} },
  });
}

/** A base whose log and signal count their reads, like the HTTP transport's. */
function lazyBase() {
  const reads = { log: 0, signal: 0 };
  const controller = new AbortController();
  const log = pino({ level: 'silent' });
  const base = { transport: 'http', requestId: 'r-1' } as ContextBase;
  Object.defineProperty(base, 'log', {
    get: () => {
      reads.log++;
      return log;
    },
    enumerable: true,
  });
  Object.defineProperty(base, 'signal', {
    get: () => {
      reads.signal++;
      return controller.signal;
    },
    enumerable: true,
  });
  return { base, reads, controller, log };
}

describe('the runtime context keeps a transport’s lazy logger and signal lazy (LAZY_STAYS_LAZY)', () => {
  it('building the context and invoking a handler that ignores them reads neither', async () => {
    const { base, reads } = lazyBase();
    const ctx = factory()(base);
    expect(await invoke(service, 'plain', { n: 1 }, ctx)).toEqual({ n: 1 });
    expect(reads).toEqual({ log: 0, signal: 0 });
  });

  it('a handler that reads them gets the transport’s own logger and signal, live', async () => {
    const { base, reads, controller, log } = lazyBase();
    const ctx = factory()(base);
    expect(ctx.log).toBe(log);
    expect(ctx.log).toBe(log);
    expect(reads.log).toBe(1); // made once, then cached
    expect(ctx.signal).toBe(controller.signal);
    controller.abort();
    expect(ctx.signal.aborted).toBe(true);
    expect(await invoke(service, 'logs', {}, factory()(lazyBase().base))).toEqual({ aborted: false });
  });

  it('a spread context carries the logger and signal as values', () => {
    const { base, controller, log } = lazyBase();
    const copy = { ...factory()(base), jobs: { send: async () => ({ id: '2' }) } };
    expect(copy.log).toBe(log);
    expect(copy.signal).toBe(controller.signal);
    expect(Object.getOwnPropertyDescriptor(copy, 'signal')).toHaveProperty('value', controller.signal);
  });

  it('without a transport logger, one child of the service logger is made on first read, bound to the request', () => {
    const lines: Array<Record<string, unknown>> = [];
    const root = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
    const ctx = factory(root)({ transport: 'job', requestId: 'job-7' });
    expect(ctx.log).toBe(ctx.log);
    ctx.log.info('ran');
    expect(lines).toEqual([expect.objectContaining({ msg: 'ran', requestId: 'job-7', transport: 'job' })]);
  });

  it('a plain signal is copied, so invoke refuses a request already cancelled (LAZY_SIGNAL_IS_THE_CALLERS)', async () => {
    const aborted = new AbortController();
    aborted.abort();
    const ctx = factory()({ transport: 'rpc', requestId: 'r-2', signal: aborted.signal });
    expect(Object.getOwnPropertyDescriptor(ctx, 'signal')).toHaveProperty('value', aborted.signal);
    const refused = await invoke(service, 'plain', { n: 1 }, ctx).catch((e: unknown) => e);
    expect(isBosunError(refused, 'BOSUN_UNAVAILABLE')).toBe(true);
    expect(factory()({ transport: 'internal' }).signal.aborted).toBe(false);
  });
});
