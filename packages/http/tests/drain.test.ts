import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createHttpServer } from '../src/create-http-server.js';
import { createDemoService } from './fixtures/demo-service.js';
import { testContext } from './fixtures/test-context.js';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe('graceful drain (READY_GATES_INTAKE)', () => {
  it('refuses new requests with 503 and connection: close while an in-flight request finishes', async () => {
    const entered = deferred();
    const release = deferred();
    const service = createDemoService({
      onSlow: async () => {
        entered.resolve();
        await release.promise;
      },
    });
    const server = createHttpServer({ service, log: pino({ level: 'silent' }), createContext: testContext });
    const slow = server.app.inject({ method: 'POST', url: '/slow', payload: {} });
    await entered.promise;
    expect(server.inFlight.size).toBe(1);

    let drained = false;
    const drain = server.drain().then((r) => {
      drained = true;
      return r;
    });
    const refused = await server.app.inject({ url: '/items/a' });
    expect(refused.statusCode).toBe(503);
    expect(refused.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(refused.headers.connection).toBe('close');
    expect(refused.json()).toMatchObject({ code: 'BOSUN_UNAVAILABLE', retryable: true });
    expect(drained).toBe(false);

    release.resolve();
    const done = await slow;
    expect(done.statusCode).toBe(200);
    expect(done.json()).toEqual({ done: true });
    expect(done.headers.connection).toBe('close');
    expect(await drain).toEqual({});
    expect(server.inFlight.size).toBe(0);
    await server.close();
  });

  it('reports what is still in flight when the drain deadline aborts', async () => {
    const entered = deferred();
    const release = deferred();
    const service = createDemoService({
      onSlow: async () => {
        entered.resolve();
        await release.promise;
      },
    });
    const server = createHttpServer({ service, log: pino({ level: 'silent' }), createContext: testContext });
    const slow = server.app.inject({ method: 'POST', url: '/slow', payload: {} });
    await entered.promise;
    const deadline = new AbortController();
    const drain = server.drain(deadline.signal);
    deadline.abort();
    expect(await drain).toEqual({ abandoned: ['POST /slow'] });
    release.resolve();
    await slow;
    await server.close();
  });

  it('stops accepting connections after close()', async () => {
    const server = createHttpServer({
      service: createDemoService(),
      log: pino({ level: 'silent' }),
      createContext: testContext,
    });
    const address = await server.listen({ port: 0, host: '127.0.0.1' });
    const ok = await fetch(`${address}/items/a`);
    expect(ok.status).toBe(200);
    await server.drain();
    const refused = await fetch(`${address}/items/a`);
    expect(refused.status).toBe(503);
    await server.close();
    await expect(fetch(`${address}/items/a`)).rejects.toThrow();
  });
});
