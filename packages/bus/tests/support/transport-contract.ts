/**
 * The Transport contract: one suite, run against every adapter (in-process and NATS).
 * `makeTransport` opens another "connection" to the same bus each time it is called.
 */
import { isBosunError } from '@bosun/core';
import { afterEach, describe, expect, test } from 'vitest';
import { createClient } from '../../src/rpc-client.js';
import { serveRpc } from '../../src/rpc-server.js';
import type { Transport } from '../../src/transport.port.js';
import { type EchoService, echoService, latch, silentLog } from './fixtures.js';

let counter = 0;
const uniqueName = () => `svc${++counter}`;

export function transportContract(name: string, makeTransport: () => Promise<Transport>): void {
  describe(`Transport contract: ${name}`, () => {
    const open: Array<{ close(): Promise<void> }> = [];
    const connect = async () => {
      const t = await makeTransport();
      open.push(t);
      return t;
    };
    afterEach(async () => {
      await Promise.all(open.splice(0).map((t) => t.close()));
    });

    test('a request is answered with the typed output of the operation', async () => {
      const svc = uniqueName();
      await serveRpc(await connect(), echoService(svc), { log: silentLog });
      const client = createClient<EchoService>(await connect(), svc, { definition: echoService(svc) });
      await expect(client.echo({ text: 'hi' })).resolves.toEqual({ text: 'hi', instance: 'a' });
    });

    test('a callee error comes back as a BosunError with the same code', async () => {
      const svc = uniqueName();
      await serveRpc(await connect(), echoService(svc), { log: silentLog });
      const client = createClient<EchoService>(await connect(), svc);
      const error = await client.lock({ id: '7' }).catch((e: unknown) => e);
      expect(isBosunError(error, 'FIXTURE_ACCOUNT_LOCKED')).toBe(true);
      expect(error).toMatchObject({ status: 409, retryable: false, detail: 'Account 7 is locked.' });
    });

    test('invalid input is refused by the callee with BOSUN_VALIDATION_FAILED', async () => {
      const svc = uniqueName();
      await serveRpc(await connect(), echoService(svc), { log: silentLog });
      const client = createClient<EchoService>(await connect(), svc);
      const error = await client.$call('echo', { text: 42 }).catch((e: unknown) => e);
      expect(isBosunError(error, 'BOSUN_VALIDATION_FAILED')).toBe(true);
    });

    test('request id and trace context travel in headers', async () => {
      const svc = uniqueName();
      await serveRpc(await connect(), echoService(svc), { log: silentLog });
      const client = createClient<EchoService>(await connect(), svc);
      const traceId = 'a'.repeat(32);
      const reply = await client.whoami(
        {},
        { requestId: 'req-42', traceparent: `00-${traceId}-${'b'.repeat(16)}-01` },
      );
      expect(reply.requestId).toBe('req-42');
      expect(reply.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    });

    test('a call nobody serves fails with BOSUN_BUS_NO_RESPONDERS, retryable', async () => {
      const client = createClient<EchoService>(await connect(), uniqueName(), {
        resilience: { retry: false },
      });
      const error = await client.echo({ text: 'x' }).catch((e: unknown) => e);
      expect(isBosunError(error, 'BOSUN_BUS_NO_RESPONDERS')).toBe(true);
      expect(error).toMatchObject({ retryable: true });
    });

    test('operations with rpc: false are not served', async () => {
      const svc = uniqueName();
      const server = await serveRpc(await connect(), echoService(svc), { log: silentLog });
      expect(server.operations).not.toContain('internal');
      const error = await createClient<EchoService>(await connect(), svc)
        .internal({})
        .catch((e: unknown) => e);
      expect(isBosunError(error, 'BOSUN_BUS_NO_RESPONDERS')).toBe(true);
    });

    test('a reply that does not come in time fails with BOSUN_TIMEOUT', async () => {
      const svc = uniqueName();
      const gate = latch();
      await serveRpc(await connect(), echoService(svc, 'a', gate.promise), { log: silentLog });
      const client = createClient<EchoService>(await connect(), svc, { timeoutMs: 5000 });
      const error = await client.wait({}, { timeoutMs: 100 }).catch((e: unknown) => e);
      gate.open();
      expect(isBosunError(error, 'BOSUN_TIMEOUT')).toBe(true);
    });

    test('replicas in one queue group: each request is served by exactly one of them', async () => {
      const svc = uniqueName();
      let served = 0;
      for (const instance of ['a', 'b']) {
        const def = echoService(svc, instance);
        await serveRpc(await connect(), def, {
          log: silentLog,
          createContext: (init) => {
            served++;
            return {
              ...init,
              transport: 'rpc',
              config: {},
              db: undefined,
              jobs: { send: async () => ({ id: '' }) },
              events: { publish: async () => {} },
              progress: async () => {},
            };
          },
        });
      }
      const client = createClient<EchoService>(await connect(), svc);
      const replies = await Promise.all(Array.from({ length: 20 }, (_, i) => client.echo({ text: `${i}` })));
      expect(replies).toHaveLength(20);
      expect(served).toBe(20);
    });

    test('drain stops intake and lets in-flight requests finish (READY_GATES_INTAKE)', async () => {
      const svc = uniqueName();
      const gate = latch();
      const server = await serveRpc(await connect(), echoService(svc, 'a', gate.promise), { log: silentLog });
      const client = createClient<EchoService>(await connect(), svc, { resilience: { retry: false } });
      const inFlight = client.wait({});
      // The request is in flight once the handler holds it; drain must wait for it.
      await expect.poll(() => server.inFlight).toBe(1);
      const drained = server.drain();
      const refused = await client.echo({ text: 'late' }).catch((e: unknown) => e);
      expect(
        isBosunError(refused, 'BOSUN_BUS_NO_RESPONDERS') || isBosunError(refused, 'BOSUN_UNAVAILABLE'),
      ).toBe(true);
      gate.open();
      await expect(inFlight).resolves.toEqual({ done: true });
      await expect(drained).resolves.toEqual({ abandoned: [] });
    });
  });
}
