/**
 * The notifications service as a process: src/main.ts on a real PostgreSQL and a real
 * NATS, delivering to a real local webhook receiver. One process serves the file; each test
 * uses its own receiver path, so the receiver's script is per path:
 *   /ok/...     answers 200
 *   /flaky/...  answers 500 twice, then 200
 *   /down/...   answers 503 always
 *   /recovering/...  answers 503 three times, then 200
 */

import { createEventBus, createNatsTransport, type Transport } from '@bosun/bus';
import { createLogger, defineService } from '@bosun/core';
import { useTestDatabase } from '@bosun/testing';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { z } from 'zod';
import { verifyWebhookSignature } from '../src/webhook-signature.js';
import { call, type Started, startNotifications, TEST_SECRET } from './notifications-process.js';
import { type Receiver, startReceiver } from './webhook-receiver.js';

interface Delivery {
  attempt: number;
  outcome: string;
  statusCode: number | null;
  error: string | null;
  durationMs: number | null;
}
interface NotificationWithLog {
  id: string;
  status: string;
  attempts: number;
  kind: string;
  target: string;
  deliveries: Delivery[];
}

describe('the notifications service over HTTP and NATS', () => {
  const db = useTestDatabase({ label: 'notifications' });
  const root = `nt${Math.random().toString(36).slice(2, 10)}`;
  const natsUrl = inject('natsUrl') as string | undefined;
  const perPath = new Map<string, number>();
  let receiver: Receiver;
  let svc: Started;
  let sql: pg.Pool;

  beforeAll(async () => {
    if (!natsUrl) throw new Error('NATS_URL is required for this file (the welcome arrives over NATS).');
    receiver = await startReceiver((_n, req) => {
      const seen = (perPath.get(req.path) ?? 0) + 1;
      perPath.set(req.path, seen);
      if (req.path.startsWith('/flaky/')) return seen <= 2 ? 500 : 200;
      if (req.path.startsWith('/down/')) return 503;
      if (req.path.startsWith('/recovering/')) return seen <= 3 ? 503 : 200;
      return 200;
    });
    const base = new URL(receiver.url).origin;
    svc = await startNotifications(db.url, {
      NATS_URL: natsUrl,
      BUS_SUBJECT_ROOT: root,
      NOTIFICATIONS_WEBHOOK_URL: `${base}/ok/welcome`,
    });
    sql = new pg.Pool({ connectionString: db.url, max: 2 });
  });

  afterAll(async () => {
    svc.proc.kill('SIGTERM');
    expect((await svc.proc.exited).code).toBe(0);
    await receiver.close();
    await sql.end();
  });

  const hook = (path: string) => `${new URL(receiver.url).origin}${path}`;
  const send = (body: Record<string, unknown>) => call(svc.api, 'POST', '/notifications', body);
  const read = (id: string) => call<NotificationWithLog>(svc.api, 'GET', `/notifications/${id}`);
  const settled = async (id: string, status: string) => {
    await expect.poll(async () => (await read(id)).body.status, { timeout: 20_000 }).toBe(status);
    return (await read(id)).body;
  };
  const requestsTo = (path: string) => receiver.requests.filter((r) => r.path === path);

  test('a notification is POSTed to its webhook with a signature the verify helper accepts', async () => {
    const sent = await send({
      channel: 'webhook',
      to: hook('/ok/one'),
      subject: 'Hi',
      message: 'Hello there',
    });
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    expect(sent.body).toMatchObject({ status: 'queued', channel: 'webhook', kind: 'message', attempts: 0 });

    const done = await settled(sent.body.id, 'delivered');
    expect(done.deliveries).toEqual([
      expect.objectContaining({ attempt: 1, outcome: 'delivered', statusCode: 200, error: null }),
    ]);
    expect(done.deliveries[0]!.durationMs).toEqual(expect.any(Number));

    const [req] = requestsTo('/ok/one');
    expect(req).toBeDefined();
    expect(req!.headers['content-type']).toBe('application/json');
    expect(req!.headers['bosun-notification-id']).toBe(sent.body.id);
    expect(req!.headers['bosun-attempt']).toBe('1');
    const verified = verifyWebhookSignature({
      secret: TEST_SECRET,
      body: req!.body,
      signature: req!.headers['bosun-signature'] as string,
      timestamp: req!.headers['bosun-timestamp'] as string,
    });
    expect(verified.ok).toBe(true);
    expect(
      verifyWebhookSignature({
        secret: 'another-secret-of-at-least-32-chars!!',
        body: req!.body,
        signature: req!.headers['bosun-signature'] as string,
        timestamp: req!.headers['bosun-timestamp'] as string,
      }),
    ).toEqual({ ok: false, reason: 'mismatch' });
    expect(JSON.parse(req!.body)).toMatchObject({ id: sent.body.id, subject: 'Hi', message: 'Hello there' });
  });

  test('a receiver failing twice gets the notification on the third attempt, with three log rows', async () => {
    const sent = await send({ channel: 'webhook', to: hook('/flaky/a'), message: 'third time lucky' });
    const done = await settled(sent.body.id, 'delivered');
    expect(done.attempts).toBe(3);
    expect(done.deliveries.map((d) => [d.attempt, d.outcome, d.statusCode])).toEqual([
      [1, 'failed', 500],
      [2, 'failed', 500],
      [3, 'delivered', 200],
    ]);
    expect(done.deliveries[0]!.error).toMatch(/^HTTP 500 from 127\.0\.0\.1:\d+$/);
    const reqs = requestsTo('/flaky/a');
    expect(reqs.map((r) => r.headers['bosun-attempt'])).toEqual(['1', '2', '3']);
    // The same body on every attempt; each attempt signed afresh.
    expect(new Set(reqs.map((r) => r.body)).size).toBe(1);
    for (const r of reqs) {
      const ok = verifyWebhookSignature({
        secret: TEST_SECRET,
        body: r.body,
        signature: r.headers['bosun-signature'] as string,
        timestamp: r.headers['bosun-timestamp'] as string,
      });
      expect(ok.ok).toBe(true);
    }
  });

  test('a receiver that always fails: three logged attempts, status dead, and the job on the dead-letter queue', async () => {
    const sent = await send({ channel: 'webhook', to: hook('/down/b'), message: 'nobody home' });
    const done = await settled(sent.body.id, 'dead');
    expect(done.deliveries.map((d) => [d.attempt, d.outcome, d.statusCode])).toEqual([
      [1, 'failed', 503],
      [2, 'failed', 503],
      [3, 'failed', 503],
    ]);
    expect(requestsTo('/down/b')).toHaveLength(3);
    // DEAD_LETTER_ON_LAST_FAILURE: the queue copied the job to the dead-letter queue, whose worker recorded it.
    await expect
      .poll(async () => {
        const { rows } = await sql.query(
          `SELECT origin, state, data FROM bosun_queue.job_archive
            WHERE name = 'notification-dead-letters' AND data->>'notificationId' = $1`,
          [sent.body.id],
        );
        return rows;
      })
      .toEqual([
        { origin: 'deliver-notification', state: 'completed', data: { notificationId: sent.body.id } },
      ]);
    await expect
      .poll(
        () => svc.proc.logs().filter((l) => l.notificationId === sent.body.id && l.level === 'error').length,
      )
      .toBe(1);
    expect((await read(sent.body.id)).body.status).toBe('dead');
  });

  test('retryNotification sends a dead notification again: the log continues at attempt 4; anything not dead is 409 NOTIFICATIONS_NOT_DEAD', async () => {
    const sent = await send({ channel: 'webhook', to: hook('/recovering/c'), message: 'try again later' });
    await settled(sent.body.id, 'dead');
    const retried = await call(svc.api, 'POST', `/notifications/${sent.body.id}/retry`, {});
    expect(retried.status, JSON.stringify(retried.body)).toBe(200);
    expect(retried.body).toMatchObject({ id: sent.body.id, status: 'queued' });
    const done = await settled(sent.body.id, 'delivered');
    expect(done.deliveries.map((d) => [d.attempt, d.outcome])).toEqual([
      [1, 'failed'],
      [2, 'failed'],
      [3, 'failed'],
      [4, 'delivered'],
    ]);
    expect(requestsTo('/recovering/c').map((r) => r.headers['bosun-attempt'])).toEqual(['1', '2', '3', '4']);

    const again = await call(svc.api, 'POST', `/notifications/${sent.body.id}/retry`, {});
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'NOTIFICATIONS_NOT_DEAD' });
    expect(again.body.detail).toContain('is delivered');
    const unknown = await call(
      svc.api,
      'POST',
      '/notifications/01890000-0000-7000-8000-000000000000/retry',
      {},
    );
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ code: 'NOTIFICATIONS_NOT_FOUND' });
  });

  test('a user.created event published on NATS becomes a signed welcome webhook, once', async () => {
    let transport: Transport | undefined;
    try {
      transport = await createNatsTransport({ servers: natsUrl!, root, name: 'users-stub' });
      const usersStub = defineService({
        name: 'users-stub',
        events: {
          publishes: {
            'user.created': z.object({
              id: z.string(),
              email: z.string(),
              name: z.string(),
              createdAt: z.string(),
            }),
          },
        },
      });
      const bus = createEventBus(transport, usersStub, {
        log: createLogger({ service: 'users-stub', instance: 'test', level: 'silent' }),
      });
      const user = {
        id: '01890000-0000-7000-8000-00000000abcd',
        email: 'ada@example.com',
        name: 'Ada',
        createdAt: new Date().toISOString(),
      };
      await bus.publish('user.created', user);
      // The same event again, as a redelivery would bring it: still one welcome.
      await bus.publish('user.created', user);

      // Both events handled: the second found the welcome already queued (ONE_WELCOME_PER_USER).
      await expect
        .poll(
          () =>
            svc.proc
              .logs()
              .filter((l) => l.msg === 'welcome queued' && l.userId === user.id)
              .map((l) => l.created),
          { timeout: 20_000 },
        )
        .toEqual([true, false]);
      await expect.poll(() => requestsTo('/ok/welcome').length).toBe(1);
      const req = requestsTo('/ok/welcome')[0]!;
      expect(
        verifyWebhookSignature({
          secret: TEST_SECRET,
          body: req.body,
          signature: req.headers['bosun-signature'] as string,
          timestamp: req.headers['bosun-timestamp'] as string,
        }).ok,
      ).toBe(true);
      expect(JSON.parse(req.body)).toMatchObject({
        kind: 'welcome',
        subject: 'Welcome, Ada',
        data: { user: { id: user.id, email: 'ada@example.com', name: 'Ada' } },
      });
      await expect
        .poll(async () => {
          const list = await call<{ items: Array<{ kind: string; status: string }> }>(
            svc.api,
            'GET',
            '/notifications?limit=100',
          );
          return list.body.items.filter((n) => n.kind === 'welcome').map((n) => n.status);
        })
        .toEqual(['delivered']);
      await bus.close();
    } finally {
      await transport?.close();
    }
  });

  test('bad input is a coded error and writes nothing', async () => {
    const count = async () =>
      (await sql.query('SELECT count(*)::int AS n FROM notifications.notifications')).rows[0].n as number;
    const before = await count();

    const ftp = await send({ channel: 'webhook', to: 'ftp://example.com/x', message: 'm' });
    expect(ftp.status).toBe(400);
    expect(ftp.body).toMatchObject({ code: 'NOTIFICATIONS_WEBHOOK_URL_INVALID' });
    for (const to of ['javascript:alert(1)', 'not a url', '/relative/path', 'http://user:pw@example.com/']) {
      const res = await send({ channel: 'webhook', to, message: 'm' });
      expect(res.status, to).toBe(400);
      expect(res.body, to).toMatchObject({ code: 'NOTIFICATIONS_WEBHOOK_URL_INVALID' });
    }
    expect(
      JSON.stringify(await send({ channel: 'webhook', to: 'http://user:pw@example.com/', message: 'm' })),
    ).not.toContain('pw@');

    const sms = await send({ channel: 'sms', to: '+15550100', message: 'm' });
    expect(sms.status).toBe(400);
    expect(sms.body).toMatchObject({ code: 'BOSUN_VALIDATION_FAILED' });
    expect(JSON.stringify(sms.body)).toContain('channel');

    const email = await send({ channel: 'email', to: 'ada@example.com', message: 'm' });
    expect(email.status).toBe(409);
    expect(email.body).toMatchObject({ code: 'NOTIFICATIONS_CHANNEL_UNAVAILABLE' });
    expect(email.body.detail).toContain('SMTP_URL');

    const empty = await send({ channel: 'webhook', to: hook('/ok/x'), message: '' });
    expect(empty.status).toBe(400);
    expect(empty.body).toMatchObject({ code: 'BOSUN_VALIDATION_FAILED' });

    const missing = await read('01890000-0000-7000-8000-000000000000');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ code: 'NOTIFICATIONS_NOT_FOUND' });
    const malformed = await read('not-an-id');
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ code: 'BOSUN_VALIDATION_FAILED' });

    expect(await count()).toBe(before);
  });

  test('an idempotency key sent twice gives one notification and one delivery', async () => {
    const body = { channel: 'webhook', to: hook('/ok/idem'), message: 'once', idempotencyKey: 'order-42' };
    const first = await send(body);
    const second = await send(body);
    expect(second.body.id).toBe(first.body.id);
    await settled(first.body.id, 'delivered');
    expect(requestsTo('/ok/idem')).toHaveLength(1);
  });

  test('listNotifications pages newest first and filters by status', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++)
      ids.push((await send({ channel: 'webhook', to: hook(`/ok/page${i}`), message: `p${i}` })).body.id);
    const first = await call<{ items: Array<{ id: string }>; nextCursor: string | null }>(
      svc.api,
      'GET',
      '/notifications?limit=2',
    );
    expect(first.status).toBe(200);
    expect(first.body.items.map((n) => n.id)).toEqual([ids[2], ids[1]]);
    const second = await call<{ items: Array<{ id: string }> }>(
      svc.api,
      'GET',
      `/notifications?limit=1&before=${first.body.nextCursor}`,
    );
    expect(second.body.items.map((n) => n.id)).toEqual([ids[0]]);
    const dead = await call<{ items: Array<{ status: string }> }>(
      svc.api,
      'GET',
      '/notifications?status=dead',
    );
    expect(dead.body.items.length).toBeGreaterThanOrEqual(1);
    expect(dead.body.items.every((n) => n.status === 'dead')).toBe(true);
  });

  test('over MCP: the four tools, and a bad URL is an isError result with its code', async () => {
    const client = new Client({ name: 'bosun-test', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(svc.mcp)));
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name).sort()).toEqual([
        'getNotification',
        'listNotifications',
        'retryNotification',
        'sendNotification',
      ]);
      const bad = await client.callTool({
        name: 'sendNotification',
        arguments: { channel: 'webhook', to: 'file:///etc/passwd', message: 'm' },
      });
      expect(bad.isError).toBe(true);
      expect(JSON.stringify(bad.content)).toContain('NOTIFICATIONS_WEBHOOK_URL_INVALID');
      const ok = await client.callTool({
        name: 'sendNotification',
        arguments: { channel: 'webhook', to: hook('/ok/mcp'), message: 'from an agent' },
      });
      expect(ok.isError).toBeFalsy();
      await settled((ok.structuredContent as { id: string }).id, 'delivered');
    } finally {
      await client.close();
    }
  });

  test('the secret never appears in a log line', () => {
    expect(svc.proc.stdout).not.toContain(TEST_SECRET);
    expect(svc.proc.stderr).not.toContain(TEST_SECRET);
  });
});
