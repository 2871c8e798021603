/**
 * Three replicas of a service over real NATS: load spreads across all of them, a lost
 * replica is invisible to callers, losing all of them opens the breaker (fail fast with
 * a code), and their return closes it.
 */
import { isBosunError } from '@bosun/core';
import { afterAll, describe, expect, test } from 'vitest';
import { createNatsTransport } from '../src/nats.transport.js';
import { createClient } from '../src/rpc-client.js';
import { serveRpc } from '../src/rpc-server.js';
import type { Transport } from '../src/transport.port.js';
import { type EchoService, echoService, randomRoot, silentLog } from './support/fixtures.js';
import { natsUrl, skipNats } from './support/nats.js';

describe.skipIf(skipNats)('three replicas over NATS', () => {
  const root = randomRoot();
  const open = new Set<Transport>();
  const connect = async () => {
    const t = await createNatsTransport({ servers: natsUrl ?? '', root });
    open.add(t);
    return t;
  };
  const stop = async (t: Transport) => {
    open.delete(t);
    await t.close();
  };
  afterAll(async () => {
    await Promise.all([...open].map((t) => t.close()));
  });

  const startReplica = async (instance: string) => {
    const t = await connect();
    await serveRpc(t, echoService('echo', instance), { log: silentLog });
    return t;
  };

  test('requests spread, survive a lost replica, trip the breaker when all are gone, and recover', async () => {
    let replicas = [await startReplica('a'), await startReplica('b'), await startReplica('c')];
    const users = createClient<EchoService>(await connect(), 'echo', {
      definition: echoService('echo'),
      resilience: {
        breaker: { consecutiveFailures: 3, halfOpenAfterMs: 50 },
        retry: { maxAttempts: 1, initialDelayMs: 5 },
      },
    });

    const answered = new Set<string>();
    for (let i = 0; i < 90; i++) answered.add((await users.echo({ text: `${i}` })).instance);
    expect([...answered].sort()).toEqual(['a', 'b', 'c']);

    await stop(replicas[0]!);
    const survivors = new Set<string>();
    for (let i = 0; i < 30; i++) survivors.add((await users.echo({ text: `${i}` })).instance);
    expect([...survivors].every((s) => s === 'b' || s === 'c')).toBe(true);

    await Promise.all(replicas.slice(1).map(stop));
    const codes: string[] = [];
    for (let i = 0; i < 5; i++) {
      const error = await users.echo({ text: 'x' }).catch((e: unknown) => e);
      codes.push(isBosunError(error) ? error.code : String(error));
    }
    expect(codes[0]).toBe('BOSUN_BUS_NO_RESPONDERS');
    expect(codes.at(-1)).toBe('BOSUN_BUS_CIRCUIT_OPEN');
    expect(users.$breakerState()).toBe('open');

    replicas = [await startReplica('a'), await startReplica('b'), await startReplica('c')];
    await expect
      .poll(async () => (await users.echo({ text: 'back' }).catch(() => undefined))?.text, {
        timeout: 10_000,
        interval: 25,
      })
      .toBe('back');
    expect(users.$breakerState()).toBe('closed');
  });
});
