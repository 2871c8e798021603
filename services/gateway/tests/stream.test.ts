/**
 * The gateway's event stream (`GET /stream`) on the in-process bus: platform events published
 * by a service reach a signed-in user's stream (without taking them from services' durable
 * consumers), the topic rules keep admin-only events from other users, a job's progress is read
 * through the jobs service's own getJob, and the stream is bounded, authenticated, and ended on
 * drain. Fixture services stand in for users and the registry (a service's tests may not import
 * another service); the real users service is behind the gateway in apps/platform/tests.
 */
import { randomBytes } from 'node:crypto';
import { createUserVerifier } from '@bosun/auth';
import {
  createEventBus,
  createInProcessTransport,
  createNatsTransport,
  type EventBus,
  type RpcServer,
  serveRpc,
  startHeartbeat,
  type Transport,
} from '@bosun/bus';
import { coreErrors, createLogger, defineService, loadConfig, operation, subscribe } from '@bosun/core';
import type {} from '@bosun/testing';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { z } from 'zod';
import { createGateway, type GatewayComponent } from '../src/create-gateway.js';
import { gatewayEnv } from '../src/gateway-env.js';
import { openStream, type SseMessage } from './sse-client.js';

const log = createLogger({ service: 'test', instance: 'test', level: 'silent' });
const SECRET = 'a-test-secret-that-is-long-enough-for-hs256';
const isEvent = (m: SseMessage) => m.event === 'event';

const UserCreated = z.object({ id: z.string(), email: z.string() });
const Ping = z.object({ n: z.number() });
const publisher = defineService({
  name: 'people',
  operations: {},
  events: { publishes: { 'user.created': UserCreated, 'demo.ping': Ping } },
});
const audited: unknown[] = [];
const auditOf = (sink: unknown[]) =>
  defineService({
    name: 'audit',
    operations: {},
    events: {
      subscribes: {
        'demo.ping': subscribe({
          schema: Ping,
          handler: (data) => {
            sink.push(data);
          },
        }),
      },
    },
  });

const Job = z.object({ id: z.string(), state: z.string(), progress: z.number().nullable() });
const jobs = new Map<string, z.infer<typeof Job>>();
/** getJob of `held` waits for `hold`, so a client can leave while its stream is still being checked. */
let hold: Promise<void> = Promise.resolve();
let heldCalls = 0;
let entered: () => void = () => {};
const tracker = defineService({
  name: 'tracker',
  operations: {
    getJob: operation({
      input: z.object({ id: z.string() }),
      output: Job,
      http: 'GET /jobs/:id',
      scope: 'registry:read',
      handler: async ({ id }) => {
        if (id === 'held') {
          heldCalls++;
          entered();
          await hold;
        }
        const job = jobs.get(id);
        if (!job) throw coreErrors.create('BOSUN_NOT_FOUND', `No job ${id}.`);
        return job;
      },
    }),
  },
});

const token = (sub: string, scopes: string[], expiresIn = '60s') =>
  new SignJWT({ scope: scopes.join(' ') })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setIssuer('bosun-users')
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(new TextEncoder().encode(SECRET));
const bearer = async (sub: string, scopes: string[] = []) => ({
  authorization: `Bearer ${await token(sub, scopes)}`,
});

describe('the gateway streams events and job progress to signed-in users', () => {
  const root = `t_gws_${randomBytes(3).toString('hex')}`;
  let transport: Transport;
  let rpc: RpcServer;
  let events: EventBus;
  let auditEvents: EventBus;
  let stopBeat: () => Promise<void>;
  let beatNow: () => Promise<void> = async () => {};
  const gateways: GatewayComponent[] = [];

  /** `catalog`: wait until the gateway heard the tracker (only job streams need it). */
  async function startGateway(
    extra: Record<string, string> = {},
    catalog = false,
  ): Promise<GatewayComponent> {
    const gw = createGateway({
      config: loadConfig(gatewayEnv, {
        PORT: '0',
        HOST: '127.0.0.1',
        BUS_SUBJECT_ROOT: root,
        LOG_LEVEL: 'silent',
        GATEWAY_STREAM_TOPICS: 'user.>=users:admin,demo.>=*',
        GATEWAY_JOBS_SERVICE: 'tracker',
        GATEWAY_STREAM_JOB_POLL_MS: '50',
        GATEWAY_STREAM_HEARTBEAT_MS: '100',
        ...extra,
      }),
      transport,
      log,
      userVerifier: createUserVerifier({ secret: SECRET, issuer: 'bosun-users' }),
    });
    gateways.push(gw);
    await gw.start!(new AbortController().signal);
    // Probes answer at most once a second; a gateway started right after another beats directly.
    if (catalog) await beatNow();
    for (let i = 0; catalog && i < 200 && gw.catalog!.entries().length === 0; i++)
      await new Promise((r) => setTimeout(r, 20));
    return gw;
  }

  let gw: GatewayComponent;
  beforeAll(async () => {
    transport = createInProcessTransport({ root });
    rpc = await serveRpc(transport, tracker, { log });
    const beat = await startHeartbeat(transport, tracker, { intervalMs: 60_000 });
    stopBeat = () => beat.stop();
    beatNow = () => beat.beat();
    events = createEventBus(transport, publisher, { log });
    auditEvents = createEventBus(transport, auditOf(audited), { log });
    await auditEvents.start();
    gw = await startGateway({}, true);
  });

  afterAll(async () => {
    for (const g of gateways) await g.stop?.(new AbortController().signal);
    await auditEvents?.close();
    await events?.close();
    await stopBeat?.();
    await rpc?.close();
    await transport?.close();
  });

  test('a signed-in user receives an event published on the bus, and the durable consumer still gets it', async () => {
    const stream = await openStream(`${gw.url}/stream?topics=demo.ping`, await bearer('u-1'));
    try {
      expect(stream.status).toBe(200);
      expect(stream.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
      // The edge's own headers survive the hijacked reply: request id, helmet's, no caching.
      expect(stream.headers.get('x-request-id')).toBeTruthy();
      expect(stream.headers.get('x-content-type-options')).toBe('nosniff');
      expect(stream.headers.get('cache-control')).toBe('no-store');
      expect((await stream.next()).data).toMatchObject({ topics: ['demo.ping'], job: null });
      await events.publish('demo.ping', { n: 1 }, { id: 'ping-1' });
      const got = await stream.next(isEvent);
      expect(got).toMatchObject({
        id: 'ping-1',
        data: { subject: 'demo.ping', source: 'people', data: { n: 1 } },
      });
      // STREAM_NEVER_STEALS_DELIVERIES: the service's durable consumer is untouched by the stream.
      for (let i = 0; i < 200 && audited.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
      expect(audited).toEqual([{ n: 1 }]);
    } finally {
      stream.close();
    }
  });

  test('EventSource clients pass the token as access_token=', async () => {
    const stream = await openStream(`${gw.url}/stream?topics=demo.>&access_token=${await token('u-2', [])}`);
    try {
      expect(stream.status).toBe(200);
      await stream.next((m) => m.event === 'ready');
      await events.publish('demo.ping', { n: 2 });
      expect((await stream.next(isEvent)).data.data).toEqual({ n: 2 });
    } finally {
      stream.close();
    }
  });

  test('without a token the stream is 401 BOSUN_UNAUTHENTICATED; a bad token is 401 BOSUN_AUTH_TOKEN_INVALID', async () => {
    const none = await openStream(`${gw.url}/stream?topics=demo.ping`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    expect(none.problem.code).toBe('BOSUN_UNAUTHENTICATED');
    const bad = await openStream(`${gw.url}/stream?topics=demo.ping&access_token=not.a.jwt`);
    expect([bad.status, bad.problem.code]).toEqual([401, 'BOSUN_AUTH_TOKEN_INVALID']);
  });

  test('a user without users:admin never receives user.* events, even on topics=>; an admin does', async () => {
    const plain = await openStream(`${gw.url}/stream?topics=>`, await bearer('u-3', ['users:read']));
    const admin = await openStream(`${gw.url}/stream?topics=>`, await bearer('u-4', ['users:admin']));
    try {
      await plain.next((m) => m.event === 'ready');
      await admin.next((m) => m.event === 'ready');
      await events.publish('user.created', { id: 'u-9', email: 'grace@example.com' });
      await events.publish('demo.ping', { n: 3 });
      expect((await admin.next(isEvent)).data.subject).toBe('user.created');
      expect((await admin.next(isEvent)).data.subject).toBe('demo.ping');
      // Events arrive in publish order, so the first one the plain user sees shows user.created was withheld.
      expect((await plain.next(isEvent)).data.subject).toBe('demo.ping');
      expect(JSON.stringify(plain.messages)).not.toContain('grace@example.com');
    } finally {
      plain.close();
      admin.close();
    }
  });

  test('a topic the user can never be shown is 403 BOSUN_FORBIDDEN naming the scope; an unlisted subject too', async () => {
    const admin = await openStream(
      `${gw.url}/stream?topics=user.created`,
      await bearer('u-5', ['users:read']),
    );
    expect([admin.status, admin.problem.code]).toEqual([403, 'BOSUN_FORBIDDEN']);
    expect(admin.problem.detail).toContain('users:admin');
    const unlisted = await openStream(
      `${gw.url}/stream?topics=billing.>`,
      await bearer('u-5', ['users:admin']),
    );
    expect([unlisted.status, unlisted.problem.code]).toEqual([403, 'BOSUN_FORBIDDEN']);
  });

  test('a stream with neither topics nor job, or a bad pattern, is 400 BOSUN_VALIDATION_FAILED', async () => {
    const headers = await bearer('u-6');
    for (const query of ['', '?topics=a.>.b', '?job=..']) {
      const res = await openStream(`${gw.url}/stream${query}`, headers);
      expect([res.status, res.problem.code], query).toEqual([400, 'BOSUN_VALIDATION_FAILED']);
    }
  });

  test("a job's progress streams until it completes, then the stream closes with job-finished", async () => {
    jobs.set('41', { id: '41', state: 'active', progress: 10 });
    const stream = await openStream(`${gw.url}/stream?job=41`, await bearer('u-7', ['registry:read']));
    expect(stream.status).toBe(200);
    expect((await stream.next((m) => m.event === 'job')).data).toEqual({
      id: '41',
      state: 'active',
      progress: 10,
    });
    jobs.set('41', { id: '41', state: 'active', progress: 60 });
    expect((await stream.next((m) => m.event === 'job')).data.progress).toBe(60);
    jobs.set('41', { id: '41', state: 'completed', progress: 100 });
    expect((await stream.next((m) => m.event === 'job')).data.state).toBe('completed');
    expect((await stream.next((m) => m.event === 'close')).data).toEqual({ reason: 'job-finished' });
    await stream.ended;
  });

  test("watching a job is calling the jobs service's getJob: 403 without its scope, its 404 passes through", async () => {
    jobs.set('42', { id: '42', state: 'active', progress: null });
    const denied = await openStream(`${gw.url}/stream?job=42`, await bearer('u-8', ['users:read']));
    expect([denied.status, denied.problem.code]).toEqual([403, 'BOSUN_FORBIDDEN']);
    const missing = await openStream(`${gw.url}/stream?job=404`, await bearer('u-8', ['registry:read']));
    expect([missing.status, missing.problem.code]).toEqual([404, 'BOSUN_NOT_FOUND']);
  });

  test('a quiet stream carries heartbeat comments', async () => {
    const stream = await openStream(`${gw.url}/stream?topics=demo.ping`, await bearer('u-9'));
    try {
      expect((await stream.next((m) => m.event === 'comment')).data).toBe('ping');
    } finally {
      stream.close();
    }
  });

  test('the stream ends with token-expired when the token expires', async () => {
    const short = await token('u-10', [], '1s');
    const stream = await openStream(`${gw.url}/stream?topics=demo.ping`, {
      authorization: `Bearer ${short}`,
    });
    expect(stream.status).toBe(200);
    expect((await stream.next((m) => m.event === 'close')).data).toEqual({ reason: 'token-expired' });
    await stream.ended;
  });

  test('the caps answer coded refusals: 429 per user, 503 per gateway', async () => {
    const capped = await startGateway({ GATEWAY_STREAM_MAX: '2', GATEWAY_STREAM_MAX_PER_USER: '1' });
    const url = `${capped.url}/stream?topics=demo.ping`;
    const first = await openStream(url, await bearer('cap-a'));
    const second = await openStream(url, await bearer('cap-b'));
    try {
      expect([first.status, second.status]).toEqual([200, 200]);
      const again = await openStream(url, await bearer('cap-a'));
      expect([again.status, again.problem.code]).toEqual([429, 'GATEWAY_STREAMS_PER_USER_EXCEEDED']);
      const full = await openStream(url, await bearer('cap-c'));
      expect([full.status, full.problem.code, full.problem.retryable]).toEqual([
        503,
        'GATEWAY_STREAMS_FULL',
        true,
      ]);
      first.close();
      await first.ended;
      // A slot is free again once the client leaves (the server sees the socket close).
      let reopened = await openStream(url, await bearer('cap-c'));
      for (let i = 0; i < 50 && reopened.status !== 200; i++) {
        await new Promise((r) => setTimeout(r, 20));
        reopened = await openStream(url, await bearer('cap-c'));
      }
      expect(reopened.status).toBe(200);
      reopened.close();
    } finally {
      first.close();
      second.close();
    }
  });

  test('a client that leaves before its stream opens does not keep a slot', async () => {
    const capped = await startGateway({ GATEWAY_STREAM_MAX_PER_USER: '1' }, true);
    jobs.set('held', { id: 'held', state: 'active', progress: null });
    let letGo: () => void = () => {};
    hold = new Promise((resolve) => {
      letGo = resolve;
    });
    const inside = new Promise<void>((resolve) => {
      entered = resolve;
    });
    const headers = await bearer('leaver', ['registry:read']);
    const abort = new AbortController();
    const leaving = fetch(`${capped.url}/stream?job=held`, { headers, signal: abort.signal }).catch(
      () => 'left',
    );
    await inside; // the route is awaiting the job's first read
    abort.abort();
    expect(await leaving).toBe('left');
    // Let the server see the socket close (a local FIN) before the route goes on to open the stream.
    await new Promise((r) => setTimeout(r, 100));
    letGo();
    // A leaked stream would poll getJob again within a few poll intervals (50 ms); give it the chance.
    for (let i = 0; i < 25 && heldCalls === 1; i++) await new Promise((r) => setTimeout(r, 20));
    expect(heldCalls).toBe(1);
    const next = await openStream(`${capped.url}/stream?topics=demo.ping`, headers);
    try {
      expect(next.status, JSON.stringify(next.problem)).toBe(200);
    } finally {
      next.close();
    }
  });

  test('drain ends every stream with close/draining, does not wait for them, and refuses new ones with 503', async () => {
    const draining = await startGateway();
    const stream = await openStream(`${draining.url}/stream?topics=demo.ping`, await bearer('u-11'));
    expect(stream.status).toBe(200);
    await stream.next((m) => m.event === 'ready');
    expect(await draining.drain!(new AbortController().signal)).toEqual({});
    expect((await stream.next((m) => m.event === 'close')).data).toEqual({ reason: 'draining' });
    await stream.ended;
    const late = await openStream(`${draining.url}/stream?topics=demo.ping`, await bearer('u-11'));
    expect([late.status, late.problem.code]).toEqual([503, 'BOSUN_UNAVAILABLE']);
  });
});

// NOTHING_SKIPPED_IN_CI: under CI=true the global setup fails without NATS_URL, so this always runs there.
const natsUrl = inject('natsUrl') || undefined;
describe.skipIf(natsUrl === undefined && process.env.CI !== 'true')('over NATS', () => {
  const root = `t_gwsn_${randomBytes(3).toString('hex')}`;
  const sink: unknown[] = [];
  let transport: Transport;
  let events: EventBus;
  let auditEvents: EventBus;
  let gw: GatewayComponent;

  beforeAll(async () => {
    transport = await createNatsTransport({ servers: natsUrl!, root });
    await transport.ensureStreams();
    events = createEventBus(transport, publisher, { log });
    auditEvents = createEventBus(transport, auditOf(sink), { log });
    await auditEvents.start();
    gw = createGateway({
      config: loadConfig(gatewayEnv, {
        PORT: '0',
        HOST: '127.0.0.1',
        BUS_SUBJECT_ROOT: root,
        LOG_LEVEL: 'silent',
        GATEWAY_STREAM_TOPICS: 'demo.>=*',
      }),
      transport,
      log,
      userVerifier: createUserVerifier({ secret: SECRET, issuer: 'bosun-users' }),
    });
    await gw.start!(new AbortController().signal);
  });

  afterAll(async () => {
    await gw?.stop?.(new AbortController().signal);
    await auditEvents?.close();
    await events?.close();
    await transport?.close();
  });

  test('a JetStream event reaches the stream through a plain subscription, and the durable consumer still gets it', async () => {
    const stream = await openStream(`${gw.url}/stream?topics=demo.ping`, await bearer('n-1'));
    try {
      await stream.next((m) => m.event === 'ready');
      await events.publish('demo.ping', { n: 7 }, { id: 'nats-ping-7' });
      expect(await stream.next(isEvent)).toMatchObject({ id: 'nats-ping-7', data: { data: { n: 7 } } });
      for (let i = 0; i < 500 && sink.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
      expect(sink).toEqual([{ n: 7 }]);
    } finally {
      stream.close();
    }
  });
});
