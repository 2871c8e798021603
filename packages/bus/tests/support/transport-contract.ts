/**
 * The Transport contract: one suite, run against every adapter (in-process and NATS).
 * `makeTransport` opens another "connection" to the same bus each time it is called.
 */
import { isBosunError } from '@bosun/core';
import { afterEach, describe, expect, test } from 'vitest';
import { createEventBus, type DeadLetter } from '../../src/event-bus.js';
import { createClient } from '../../src/rpc-client.js';
import { serveRpc } from '../../src/rpc-server.js';
import type { Transport } from '../../src/transport.port.js';
import {
  type EchoService,
  echoService,
  latch,
  publisherService,
  silentLog,
  subscriberService,
} from './fixtures.js';

let counter = 0;
const uniqueName = () => `svc${++counter}`;
/** Each test publishes on its own subject, so a new durable never sees another test's events. */
const uniqueSubject = () => `orders${++counter}.placed`;

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

    test('a responder is reachable from another connection as soon as serve() resolves (SERVING_ON_RETURN)', async () => {
      const caller = await connect();
      for (let i = 0; i < 30; i++) {
        const svc = uniqueName();
        await serveRpc(await connect(), echoService(svc), { log: silentLog });
        const client = createClient<EchoService>(caller, svc);
        await expect(client.echo({ text: `n${i}` })).resolves.toMatchObject({ text: `n${i}` });
      }
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

    const fast = { log: silentLog, backoff: { initialDelayMs: 10, maxDelayMs: 50 } };
    const poll = { timeout: 20_000, interval: 20 };

    test('events reach each subscribing service once, shared across its replicas (DURABLE_SINGLE_DELIVERY)', async () => {
      const subject = uniqueSubject();
      const publisher = createEventBus(await connect(), publisherService(uniqueName(), subject), fast);
      const billing = uniqueName();
      const shipping = uniqueName();
      const billed: number[] = [];
      const shipped: number[] = [];
      for (let replica = 0; replica < 2; replica++) {
        const bus = createEventBus(
          await connect(),
          subscriberService(billing, subject, ({ n }) => void billed.push(n)),
          fast,
        );
        await bus.start();
      }
      await createEventBus(
        await connect(),
        subscriberService(shipping, subject, ({ n }) => void shipped.push(n)),
        fast,
      ).start();
      for (let n = 0; n < 20; n++) await publisher.publish(subject, { n });
      await expect.poll(() => new Set(billed).size, poll).toBe(20);
      await expect.poll(() => new Set(shipped).size, poll).toBe(20);
      expect(billed).toHaveLength(20);
      expect(shipped).toHaveLength(20);
    });

    test('a handler that throws gets the event again until it succeeds (AT_LEAST_ONCE)', async () => {
      const subject = uniqueSubject();
      const publisher = createEventBus(await connect(), publisherService(uniqueName(), subject), fast);
      let calls = 0;
      const done = latch();
      const svc = subscriberService(uniqueName(), subject, () => {
        calls++;
        if (calls < 3) throw new Error('database is down');
        done.open();
      });
      await createEventBus(await connect(), svc, fast).start();
      await publisher.publish(subject, { n: 1 });
      await done.promise;
      expect(calls).toBe(3);
    });

    test('after maxDeliveries the event goes to the dead-letter subject and stops (DEAD_LETTER_AFTER_MAX)', async () => {
      const subject = uniqueSubject();
      const t = await connect();
      const publisher = createEventBus(t, publisherService(uniqueName(), subject), fast);
      const name = uniqueName();
      let calls = 0;
      const letters: DeadLetter[] = [];
      await t.subscribe(t.subjects.deadLetter(name, subject), (m) => {
        letters.push(JSON.parse(new TextDecoder().decode(m.data)) as DeadLetter);
      });
      const svc = subscriberService(
        name,
        subject,
        () => {
          calls++;
          throw new Error('always fails');
        },
        3,
      );
      await createEventBus(await connect(), svc, fast).start();
      await publisher.publish(subject, { n: 7 });
      await expect.poll(() => letters.length, poll).toBe(1);
      expect(calls).toBe(3);
      expect(letters[0]).toMatchObject({
        service: name,
        deliveries: 3,
        error: { code: 'BOSUN_INTERNAL' },
        event: { data: { n: 7 } },
      });
    });

    test('publish refuses undeclared subjects and data that fails the schema (EVENT_IS_VALIDATED)', async () => {
      const subject = uniqueSubject();
      const publisher = createEventBus(await connect(), publisherService(uniqueName(), subject), fast);
      const unknown = await publisher.publish('order.lost', { n: 1 }).catch((e: unknown) => e);
      expect(isBosunError(unknown, 'BOSUN_BUS_EVENT_UNKNOWN')).toBe(true);
      const invalid = await publisher.publish(subject, { n: 'one' }).catch((e: unknown) => e);
      expect(isBosunError(invalid, 'BOSUN_VALIDATION_FAILED')).toBe(true);
    });
  });
}
