/**
 * How an instance's health is decided (STALE_WINS, NOT_READY_IS_CODED), on the in-process
 * bus with real heartbeats and a real HTTP server standing in for each instance's health
 * port. The queue is a stand-in (only the sampler reads it here), injected like any port.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInProcessBroker, createInProcessTransport, type Heartbeat, startHeartbeat } from '@bosun/bus';
import { defineService, isBosunError } from '@bosun/core';
import type { Queue } from '@bosun/queue';
import pino from 'pino';
import { afterEach, expect, test } from 'vitest';
import { createRegistryState } from '../src/registry-state.js';

const log = pino({ level: 'silent' });
const idleQueue = {
  queueNames: async () => [],
  deadLetterQueues: async () => [],
  stats: async () => {
    throw new Error('no queues');
  },
} as unknown as Queue;

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function healthServer(status: number): Promise<number> {
  const server: Server = createServer((_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: status === 200 ? 'ok' : 'unavailable', state: 'ready', checks: {} }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
  return (server.address() as AddressInfo).port;
}

test('ok, unhealthy (readyz fails), draining (as reported), and stale after missed beats, in that order of precedence', async () => {
  const broker = createInProcessBroker();
  const transport = createInProcessTransport({ broker, root: 'state' });
  cleanups.push(() => transport.close());
  const state = createRegistryState();
  expect(() => state.services()).toThrow(expect.objectContaining({ code: 'REGISTRY_NOT_READY' }));
  await state.attach({
    transport,
    queue: idleQueue,
    log,
    timings: { staleAfterMs: 400, healthPollMs: 100, healthTimeoutMs: 500, refreshMs: 60_000 },
  });
  cleanups.push(() => state.detach());

  const beats: Heartbeat[] = [];
  const announce = async (name: string, port: number, health: () => string = () => 'ok', via = transport) => {
    const beat = await startHeartbeat(via, defineService({ name }), {
      host: '127.0.0.1',
      ports: { health: port },
      intervalMs: 100,
      health,
    });
    beats.push(beat);
    return beat;
  };
  cleanups.push(() => Promise.all(beats.map((b) => b.stop())).then(() => {}));
  await announce('fine', await healthServer(200));
  await announce('sick', await healthServer(503));
  await announce('leaving', await healthServer(200), () => 'draining');
  // Its own connection to the broker: closing it silences the beats without a goodbye, as a kill does.
  const doomed = createInProcessTransport({ broker, root: 'state' });
  await announce('dying', await healthServer(200), () => 'ok', doomed);

  const health = () => Object.fromEntries(state.services().map((s) => [s.name, s.instances[0]!.health]));
  await expect.poll(health).toEqual({ dying: 'ok', fine: 'ok', leaving: 'draining', sick: 'unhealthy' });
  expect(state.service('sick').instances[0]!.readiness).toMatchObject({ ok: false, status: 503 });

  await doomed.close();
  await expect.poll(() => health().dying).toBe('stale');
  expect(health()).toMatchObject({ fine: 'ok', sick: 'unhealthy', leaving: 'draining' });
  const error = (() => {
    try {
      state.service('nobody');
    } catch (e) {
      return e;
    }
  })();
  expect(isBosunError(error, 'REGISTRY_SERVICE_NOT_FOUND')).toBe(true);

  await state.detach();
  expect(() => state.queue()).toThrow(expect.objectContaining({ code: 'REGISTRY_NOT_READY' }));
});
