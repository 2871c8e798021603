/** Registry heartbeats and the live view, on both adapters, with an injected clock. */
import { defineService, operation } from '@bosun/core';
import { afterEach, describe, expect, test } from 'vitest';
import { z } from 'zod';
import { encodeJson } from '../src/envelope.js';
import { createInProcessBroker } from '../src/in-process.broker.js';
import { createInProcessTransport } from '../src/in-process.transport.js';
import { createNatsTransport } from '../src/nats.transport.js';
import { describeOperations, startHeartbeat } from '../src/registry-heartbeat.js';
import { createRegistryView } from '../src/registry-view.js';
import type { Transport } from '../src/transport.port.js';
import { randomRoot } from './support/fixtures.js';
import { natsUrl, skipNats } from './support/nats.js';

const users = defineService({
  name: 'users',
  version: '1.2.3',
  operations: {
    getUser: operation({
      input: z.object({ id: z.string() }),
      output: z.object({ id: z.string(), email: z.email() }),
      idempotent: true,
      handler: ({ id }) => ({ id, email: 'a@b.c' }),
    }),
    hidden: operation({ input: z.object({}), output: z.object({}), rpc: false, handler: () => ({}) }),
  },
});

test('operations are described with JSON Schemas of their input and output', () => {
  const [getUser, ...rest] = describeOperations(users);
  expect(rest).toEqual([]);
  expect(getUser).toMatchObject({
    name: 'getUser',
    idempotent: true,
    inputSchema: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
    outputSchema: { type: 'object', properties: { email: { type: 'string', format: 'email' } } },
  });
});

const broker = createInProcessBroker();
const adapters: Array<[string, boolean, (root: string) => Promise<Transport>]> = [
  ['in-process', false, async (root) => createInProcessTransport({ broker, root })],
  ['nats', skipNats, (root) => createNatsTransport({ servers: natsUrl ?? '', root })],
];

for (const [name, skip, make] of adapters) {
  describe.skipIf(skip)(`registry (${name})`, () => {
    const open: Transport[] = [];
    afterEach(async () => {
      await Promise.all(open.splice(0).map((t) => t.close()));
    });

    test('instances appear, turn stale after missed heartbeats, and leave on goodbye', async () => {
      const root = randomRoot();
      const [a, b, viewer] = await Promise.all([make(root), make(root), make(root)]);
      open.push(a!, b!, viewer!);
      let clock = 1_000_000;
      const view = await createRegistryView(viewer!, { staleAfterMs: 15_000, now: () => clock });
      const one = await startHeartbeat(a!, users, {
        instance: 'u1',
        ports: { http: 3000 },
        intervalMs: 60_000,
      });
      const two = await startHeartbeat(b!, users, { instance: 'u2', intervalMs: 60_000 });
      await expect.poll(() => view.service('users')?.instances.length).toBe(2);
      expect(view.service('users')).toMatchObject({ versions: ['1.2.3'], live: 2 });
      expect(view.service('users')?.operations.map((o) => o.name)).toEqual(['getUser']);

      clock += 20_000;
      expect(view.service('users')?.live).toBe(0);
      await one.beat();
      await expect.poll(() => view.service('users')?.live).toBe(1);

      // A message that is not a heartbeat changes nothing (BAD_HEARTBEATS_ARE_IGNORED).
      await viewer!.publish(
        viewer!.subjects.heartbeat,
        encodeJson({ v: 1, kind: 'heartbeat', service: 'evil' }),
      );
      await two.stop();
      await expect.poll(() => view.service('users')?.instances.map((i) => i.instance)).toEqual(['u1']);
      expect(view.services().map((s) => s.name)).toEqual(['users']);
      await one.stop();
      await expect.poll(() => view.services()).toEqual([]);
      await view.close();
    });
  });
}
