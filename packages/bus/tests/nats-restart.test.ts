/**
 * NATS restarted mid-run (our own nats-server, never the system one): clients reconnect,
 * RPC works again, and no event is lost — events published while the server was down
 * are retried by publish() (same id, de-duplicated) and consumers resume pulling.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createEventBus } from '../src/event-bus.js';
import { createNatsTransport } from '../src/nats.transport.js';
import { createClient } from '../src/rpc-client.js';
import { serveRpc } from '../src/rpc-server.js';
import type { Transport } from '../src/transport.port.js';
import {
  type EchoService,
  echoService,
  publisherService,
  randomRoot,
  silentLog,
  subscriberService,
} from './support/fixtures.js';
import { skipNats } from './support/nats.js';
import { type OwnNatsServer, ownNatsServer } from './support/own-nats-server.js';

describe.skipIf(skipNats)('NATS restart', () => {
  let server: OwnNatsServer;
  const open: Transport[] = [];
  beforeAll(async () => {
    server = await ownNatsServer();
    await server.start();
  });
  afterAll(async () => {
    await Promise.all(open.map((t) => t.close()));
    await server?.dispose();
  });

  test('clients reconnect after the server restarts and no event is lost', async () => {
    const root = randomRoot();
    const connect = async () => {
      const t = await createNatsTransport({ servers: server.url, root, reconnectTimeWaitMs: 50 });
      open.push(t);
      return t;
    };
    const subject = 'payment.settled';
    const seen = new Set<number>();
    const bus = { log: silentLog, backoff: { initialDelayMs: 10, maxDelayMs: 100 }, publishRetryMs: 30_000 };
    await createEventBus(
      await connect(),
      subscriberService('ledger', subject, ({ n }) => void seen.add(n)),
      bus,
    ).start();
    const publisher = createEventBus(await connect(), publisherService('payments', subject), bus);
    await serveRpc(await connect(), echoService('echo'), { log: silentLog });
    const client = createClient<EchoService>(await connect(), 'echo', { timeoutMs: 1000 });

    for (let n = 0; n < 100; n++) await publisher.publish(subject, { n });
    await expect.poll(() => seen.size, { timeout: 20_000, interval: 20 }).toBe(100);
    await expect(client.echo({ text: 'before' })).resolves.toMatchObject({ text: 'before' });

    await server.stop();
    // Published while the server is down: publish() keeps retrying until it is back.
    const during = Promise.all(
      Array.from({ length: 100 }, (_, i) => publisher.publish(subject, { n: 100 + i })),
    );
    await server.start();
    await during;
    for (let n = 200; n < 300; n++) await publisher.publish(subject, { n });

    await expect.poll(() => seen.size, { timeout: 30_000, interval: 50 }).toBe(300);
    await expect
      .poll(async () => (await client.echo({ text: 'after' }).catch(() => undefined))?.text, {
        timeout: 20_000,
        interval: 50,
      })
      .toBe('after');
  });
});
