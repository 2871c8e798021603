/**
 * A subscriber that is down while events are published gets all of them when it starts
 * again (its durable consumer kept its place). Runs on both adapters.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { createEventBus } from '../src/event-bus.js';
import { createInProcessBroker } from '../src/in-process.broker.js';
import { createInProcessTransport } from '../src/in-process.transport.js';
import { createNatsTransport } from '../src/nats.transport.js';
import type { Transport } from '../src/transport.port.js';
import { publisherService, randomRoot, silentLog, subscriberService } from './support/fixtures.js';
import { natsUrl, skipNats } from './support/nats.js';

const broker = createInProcessBroker();
const adapters: Array<[string, boolean, (root: string) => Promise<Transport>]> = [
  ['in-process', false, async (root) => createInProcessTransport({ broker, root })],
  ['nats', skipNats, (root) => createNatsTransport({ servers: natsUrl ?? '', root })],
];

for (const [name, skip, make] of adapters) {
  describe.skipIf(skip)(`backlog (${name})`, () => {
    const open: Transport[] = [];
    const connect = async (root: string) => {
      const t = await make(root);
      open.push(t);
      return t;
    };
    afterEach(async () => {
      await Promise.all(open.splice(0).map((t) => t.close()));
    });

    test('a subscriber down while 1,000 events are published receives all 1,000 when it starts', async () => {
      const root = randomRoot();
      const subject = 'ledger.entry';
      const seen = new Set<number>();
      const subscriber = subscriberService('ledger', subject, ({ n }) => void seen.add(n));
      const log = { log: silentLog, concurrency: 8 };

      const first = await connect(root);
      const firstBus = createEventBus(first, subscriber, log);
      await firstBus.start();
      await firstBus.close();
      await first.close();

      const publisher = createEventBus(await connect(root), publisherService('orders', subject), log);
      for (let n = 0; n < 1000; n++) await publisher.publish(subject, { n });
      expect(seen.size).toBe(0);

      await createEventBus(await connect(root), subscriber, log).start();
      await expect.poll(() => seen.size, { timeout: 30_000, interval: 50 }).toBe(1000);
    });
  });
}
