/**
 * ServiceExtension: a service's main.ts adds routes to its HTTP app, identifies REST
 * callers, and asks for the job queue without declaring jobs (EXTENSIONS_MOUNT_BEFORE_LISTEN);
 * `transports: false` leaves a service to a component (SERVED_BY_A_COMPONENT).
 * In-process app (createApp) on a real PostgreSQL and the in-process bus.
 */
import type { HeartbeatMessage, Transport } from '@bosun/bus';
import { coreErrors, defineService, operation } from '@bosun/core';
import { useTestDatabase } from '@bosun/testing';
import pino from 'pino';
import { afterEach, describe, expect, test } from 'vitest';
import { z } from 'zod';
import { type App, createApp, loadAppConfig } from '../src/index.js';

const probe = defineService({
  name: 'probe',
  operations: {
    whoami: operation({
      input: z.object({}),
      output: z.object({ user: z.string().nullable() }),
      http: 'GET /whoami',
      handler: (_input, ctx) => ({ user: ctx.caller.user?.id ?? null }),
    }),
  },
});

describe('service extensions', () => {
  const db = useTestDatabase({ label: 'extensions' });
  let app: App | undefined;
  afterEach(async () => {
    await app?.stop();
    app = undefined;
  });

  async function start(withExtension: boolean) {
    const config = loadAppConfig([probe], {
      DATABASE_URL: db.url,
      PORT: '0',
      HEALTH_PORT: '0',
      HOST: '127.0.0.1',
    });
    app = await createApp({
      services: [probe],
      config,
      log: pino({ level: 'silent' }),
      extensions: withExtension
        ? {
            probe: {
              queue: true,
              caller: (request) => {
                const user = request.headers['x-user'];
                if (user === 'mallory') throw coreErrors.create('BOSUN_UNAUTHENTICATED', 'Not you.');
                return typeof user === 'string' ? { user: { id: user, scopes: [] } } : undefined;
              },
              routes: (fastify, parts) => {
                fastify.get('/extra', async () => ({
                  queue: parts.queue !== undefined,
                  stats: parts.queue ? (await parts.queue.stats('nothing')).counts.created : null,
                  subjects: typeof parts.transport.subjects.heartbeat,
                  health: parts.health.port > 0,
                }));
              },
            },
          }
        : undefined,
    });
    await app.start();
    return app.http.get('probe')!.url!;
  }

  test('routes are served on the service port with the started queue, bus and health server', async () => {
    const url = await start(true);
    const res = await fetch(`${url}/extra`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ queue: true, stats: 0, subjects: 'string', health: true });
  });

  test('the caller hook becomes ctx.caller over REST, and its coded refusal is the answer', async () => {
    const url = await start(true);
    expect(await (await fetch(`${url}/whoami`, { headers: { 'x-user': 'ada' } })).json()).toEqual({
      user: 'ada',
    });
    expect(await (await fetch(`${url}/whoami`)).json()).toEqual({ user: null });
    const refused = await fetch(`${url}/whoami`, { headers: { 'x-user': 'mallory' } });
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { code: string }).code).toBe('BOSUN_UNAUTHENTICATED');
  });

  test('without an extension a service with no jobs gets no queue, and REST callers are nobody', async () => {
    const url = await start(false);
    expect(app!.queue).toBeUndefined();
    expect((await fetch(`${url}/extra`)).status).toBe(404);
    expect(await (await fetch(`${url}/whoami`, { headers: { 'x-user': 'ada' } })).json()).toEqual({
      user: null,
    });
  });
});

describe('a service served by a component (transports: false)', () => {
  const edge = defineService({ name: 'edge', operations: {} });
  let app: App | undefined;
  afterEach(async () => {
    await app?.stop();
    app = undefined;
  });

  test('gets no HTTP server, RPC server or heartbeat of the runtime; its neighbours and the components keep theirs', async () => {
    const config = loadAppConfig([edge, probe], {
      PORT: '0',
      HEALTH_PORT: '0',
      HOST: '127.0.0.1',
      HEARTBEAT_INTERVAL_MS: '100',
    });
    let componentBus: (() => Transport) | undefined;
    app = await createApp({
      services: [edge, probe],
      config,
      log: pino({ level: 'silent' }),
      extensions: { edge: { transports: false } },
      components: {
        create: ({ transport }) => {
          componentBus = transport;
          return { name: 'edge-server' };
        },
      },
    });
    await app.start();
    expect([...app.http.keys()]).toEqual(['probe']);
    expect(componentBus!()).toBe(app.bus.transport);

    const beats: HeartbeatMessage[] = [];
    const bus = app.bus.transport;
    const sub = await bus.subscribe(bus.subjects.heartbeat, (m) => {
      beats.push(JSON.parse(new TextDecoder().decode(m.data)) as HeartbeatMessage);
    });
    for (let i = 0; i < 100 && beats.length < 3; i++) await new Promise((r) => setTimeout(r, 50));
    await sub.close();
    expect(beats.length).toBeGreaterThanOrEqual(3);
    expect(new Set(beats.map((b) => b.service))).toEqual(new Set(['probe']));

    const call = await app.bus
      .call('probe')('edge', 'anything', {})
      .catch((e: unknown) => e);
    expect((call as { code?: string }).code).toBe('BOSUN_BUS_NO_RESPONDERS');
  });
});
