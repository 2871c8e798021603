/**
 * The notifications service composed in-process with createApp (real PostgreSQL, the
 * in-process bus): email through a local SMTP server, the welcome from a `user.created`
 * published on the in-process bus, and the daily digest's counts. Retries are off here
 * through ordinary configuration (NOTIFICATIONS_RETRY_LIMIT=0).
 */
import { Writable } from 'node:stream';
import { createEventBus, createInProcessTransport } from '@bosun/bus';
import { createLogger, defineService } from '@bosun/core';
import { type App, createApp, loadAppConfig } from '@bosun/runtime';
import { useLeakCheck, useTestDatabase } from '@bosun/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { z } from 'zod';
import { yesterdayUtc } from '../src/digest-summary.js';
import { notifications } from '../src/service.js';
import { type SmtpSink, startSmtpSink } from './smtp-sink.js';
import { startReceiver } from './webhook-receiver.js';

interface Harness {
  app: App;
  api: string;
  logs: Array<Record<string, unknown>>;
}

async function startApp(env: Record<string, string>): Promise<Harness> {
  const logs: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) logs.push(JSON.parse(line));
      done();
    },
  });
  const config = loadAppConfig([notifications], { PORT: '0', HEALTH_PORT: '0', HOST: '127.0.0.1', ...env });
  const log = createLogger({ service: 'notifications', instance: 'test', level: 'debug', stream });
  const app = await createApp({ services: [notifications], config, log });
  await app.start();
  return { app, api: app.http.get('notifications')!.url!, logs };
}

async function post(api: string, body: unknown) {
  const res = await fetch(`${api}/notifications`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  // biome-ignore lint/suspicious/noExplicitAny: each test asserts the fields it reads.
  return { status: res.status, body: (await res.json()) as any };
}

async function get(api: string, id: string) {
  // biome-ignore lint/suspicious/noExplicitAny: as above.
  return (await (await fetch(`${api}/notifications/${id}`)).json()) as any;
}

describe('notifications in-process: email, welcome on the in-process bus, digest', () => {
  // Registered first so its afterAll runs last: nothing of the app, SMTP or receivers may stay open.
  useLeakCheck();
  const db = useTestDatabase({ label: 'notifications_app' });
  const root = `na${Math.random().toString(36).slice(2, 10)}`;
  let smtp: SmtpSink;
  let h: Harness;
  let sql: pg.Pool;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    h = await startApp({
      DATABASE_URL: db.url,
      BUS_SUBJECT_ROOT: root,
      SMTP_URL: smtp.url,
      NOTIFICATIONS_EMAIL_FROM: 'bosun <noreply@bosun.test>',
      NOTIFICATIONS_DIGEST_EMAIL: 'ops@bosun.test',
      NOTIFICATIONS_RETRY_LIMIT: '0',
      NOTIFICATIONS_DELIVERY_TIMEOUT_MS: '3000',
    });
    sql = new pg.Pool({ connectionString: db.url, max: 2 });
  });

  afterAll(async () => {
    const result = await h?.app.stop();
    expect(result?.ok).toBe(true);
    await sql?.end();
    await smtp?.close();
  });

  test('an email notification reaches the SMTP server, logged with the SMTP reply code', async () => {
    const sent = await post(h.api, {
      channel: 'email',
      to: 'grace@example.com',
      subject: 'Build finished',
      message: 'Your build is green.',
    });
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    await expect.poll(async () => (await get(h.api, sent.body.id)).status).toBe('delivered');
    const done = await get(h.api, sent.body.id);
    expect(done.deliveries).toEqual([
      expect.objectContaining({ attempt: 1, outcome: 'delivered', statusCode: 250 }),
    ]);

    const mail = smtp.mails.find((m) => m.to.includes('grace@example.com'));
    expect(mail).toBeDefined();
    expect(mail!.from).toBe('noreply@bosun.test');
    expect(mail!.raw).toContain('Subject: Build finished');
    expect(mail!.raw).toContain('Your build is green.');
    // Header names are case-insensitive; nodemailer writes this one as X-Bosun-Notification-ID.
    expect(mail!.raw).toMatch(new RegExp(`^X-Bosun-Notification-Id: ${sent.body.id}\\r?$`, 'im'));
  });

  test('a recipient the SMTP server refuses is dead after the configured single attempt, with code 550', async () => {
    const sent = await post(h.api, { channel: 'email', to: 'nobody@refused.example', message: 'hello?' });
    await expect.poll(async () => (await get(h.api, sent.body.id)).status).toBe('dead');
    const done = await get(h.api, sent.body.id);
    expect(done.deliveries).toEqual([
      expect.objectContaining({ attempt: 1, outcome: 'failed', statusCode: 550 }),
    ]);
    expect(done.deliveries[0].error).toMatch(/^SMTP 550/);
    expect(JSON.stringify(done)).not.toContain(smtp.password);
  });

  test('an email to something that is not an address is 400 NOTIFICATIONS_RECIPIENT_INVALID; a webhook with no URL anywhere is 409', async () => {
    const bad = await post(h.api, { channel: 'email', to: 'not-an-address', message: 'm' });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: 'NOTIFICATIONS_RECIPIENT_INVALID' });
    const noUrl = await post(h.api, { channel: 'webhook', message: 'm' });
    expect(noUrl.status).toBe(409);
    expect(noUrl.body).toMatchObject({ code: 'NOTIFICATIONS_CHANNEL_UNAVAILABLE' });
    expect(noUrl.body.detail).toContain('NOTIFICATIONS_WEBHOOK_URL');
  });

  test('a receiver that does not answer fails the attempt at the delivery timeout, and a redirect is not followed', async () => {
    const silent = await startReceiver(() => 'hold');
    let followed = 0;
    const target = await startReceiver(() => {
      followed++;
      return 200;
    });
    const redirecting = await startReceiver((_n, _req, res) => {
      res.writeHead(307, { location: target.url }).end();
      return 'hold';
    });
    try {
      const slow = await post(h.api, { channel: 'webhook', to: silent.url, message: 'anyone?' });
      const moved = await post(h.api, { channel: 'webhook', to: redirecting.url, message: 'over there?' });
      await expect.poll(async () => (await get(h.api, moved.body.id)).status).toBe('dead');
      const movedLog = (await get(h.api, moved.body.id)).deliveries;
      expect(movedLog).toEqual([expect.objectContaining({ outcome: 'failed', statusCode: 307 })]);
      expect(followed).toBe(0);

      // OUTBOUND_IS_BOUNDED: NOTIFICATIONS_DELIVERY_TIMEOUT_MS is 3000 in this app.
      await expect.poll(async () => (await get(h.api, slow.body.id)).status).toBe('dead');
      const slowLog = (await get(h.api, slow.body.id)).deliveries;
      expect(slowLog).toEqual([expect.objectContaining({ outcome: 'failed', statusCode: null })]);
      expect(slowLog[0].error).toMatch(/^timed out after 3000 ms \(127\.0\.0\.1:\d+\)$/);
      expect(silent.requests).toHaveLength(1);
    } finally {
      await Promise.all([silent.close(), target.close(), redirecting.close()]);
    }
  });

  test('user.created on the in-process bus sends the new user a welcome email', async () => {
    const transport = createInProcessTransport({ root });
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
    try {
      await bus.publish('user.created', {
        id: '01890000-0000-7000-8000-0000000000aa',
        email: 'hedy@example.com',
        name: 'Hedy',
        createdAt: new Date().toISOString(),
      });
      await expect.poll(() => smtp.mails.filter((m) => m.to.includes('hedy@example.com')).length).toBe(1);
      expect(smtp.mails.find((m) => m.to.includes('hedy@example.com'))!.raw).toContain(
        'Subject: Welcome, Hedy',
      );
    } finally {
      await bus.close();
      await transport.close();
    }
  });

  test('the digest counts one day’s notifications by status and attempts by outcome, leaving digests and other days out, and is sent once', async () => {
    const day = '2026-01-15';
    const at = (time: string) => `${time}+00`;
    const seed = async (kind: string, status: string, createdAt: string, outcomes: string[]) => {
      const { rows } = await sql.query<{ id: string }>(
        `INSERT INTO notifications.notifications (id, kind, channel, target, subject, message, status, attempts, created_at)
         VALUES (gen_random_uuid(), $1, 'webhook', 'http://example.com/', 's', 'm', $2, $3, $4) RETURNING id`,
        [kind, status, outcomes.length, createdAt],
      );
      for (const [i, outcome] of outcomes.entries()) {
        await sql.query(
          `INSERT INTO notifications.delivery_attempts (notification_id, attempt, outcome, started_at) VALUES ($1, $2, $3, $4)`,
          [rows[0]!.id, i + 1, outcome, createdAt],
        );
      }
    };
    await seed('message', 'delivered', at(`${day} 00:00:00`), ['delivered']);
    await seed('welcome', 'delivered', at(`${day} 12:00:00`), ['failed', 'delivered']);
    await seed('message', 'dead', at(`${day} 23:59:59`), ['failed', 'failed', 'failed']);
    await seed('message', 'retrying', at(`${day} 08:00:00`), ['failed']);
    await seed('digest', 'delivered', at(`${day} 06:00:00`), ['delivered']); // not counted: a digest
    await seed('message', 'delivered', at('2026-01-14 23:59:59'), ['delivered']); // the day before
    await seed('message', 'dead', at('2026-01-16 00:00:00'), ['failed']); // the day after

    const ctx = h.app.context('notifications')({ transport: 'internal' });
    const runDigest = async () => {
      const { id } = await ctx.jobs.send('daily-digest', { day });
      await expect.poll(async () => (await h.app.queue!.queue.getJob(id))?.state).toBe('completed');
      return (await h.app.queue!.queue.getJob(id))!.output as {
        summary: unknown;
        sent: { channel: string; notificationId: string };
      };
    };
    const first = await runDigest();
    expect(first.summary).toEqual({
      day,
      notifications: { total: 4, byStatus: { dead: 1, delivered: 2, retrying: 1 } },
      attempts: { total: 7, byOutcome: { delivered: 2, failed: 5 } },
    });
    expect(first.sent.channel).toBe('email');
    await expect.poll(() => smtp.mails.filter((m) => m.to.includes('ops@bosun.test')).length).toBe(1);
    const mail = smtp.mails.find((m) => m.to.includes('ops@bosun.test'))!;
    expect(mail.raw).toContain(`Subject: bosun notifications digest for ${day}`);
    expect(mail.raw).toContain('Notifications on 2026-01-15 (UTC): 4 (dead 1, delivered 2, retrying 1).');

    // ONE_DIGEST_PER_DAY: running the day again sends nothing new.
    const again = await runDigest();
    expect(again.sent.notificationId).toBe(first.sent.notificationId);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(smtp.mails.filter((m) => m.to.includes('ops@bosun.test'))).toHaveLength(1);
  });

  test('the digest is scheduled daily at 06:00 UTC', async () => {
    const schedules = await h.app.queue!.queue.getSchedules();
    expect(schedules).toEqual([
      expect.objectContaining({ name: 'daily-digest', cron: '0 6 * * *', tz: 'UTC' }),
    ]);
  });

  test('the SMTP password never appears in a log line', () => {
    expect(JSON.stringify(h.logs)).not.toContain(smtp.password);
  });
});

describe('the digest with no channel configured', () => {
  const db = useTestDatabase({ label: 'notifications_digest' });

  test('summarises yesterday by default and writes the summary to the log', async () => {
    const h = await startApp({ DATABASE_URL: db.url });
    try {
      const pool = new pg.Pool({ connectionString: db.url, max: 1 });
      await pool.query(
        `INSERT INTO notifications.notifications (id, kind, channel, target, subject, message, status, created_at)
         VALUES (gen_random_uuid(), 'message', 'webhook', 'http://example.com/', 's', 'm', 'delivered',
                 date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' - interval '12 hours')`,
      );
      await pool.end();
      const { id } = await h.app
        .context('notifications')({ transport: 'internal' })
        .jobs.send('daily-digest', null);
      await expect.poll(async () => (await h.app.queue!.queue.getJob(id))?.state).toBe('completed');
      const output = (await h.app.queue!.queue.getJob(id))!.output as {
        summary: { day: string };
        sent: null;
      };
      expect(output.sent).toBeNull();
      expect(output.summary).toMatchObject({
        day: yesterdayUtc(new Date()),
        notifications: { total: 1, byStatus: { delivered: 1 } },
      });
      const line = h.logs.find(
        (l) => typeof l.msg === 'string' && l.msg.startsWith('daily digest (no channel configured)'),
      );
      expect(line?.msg).toContain('1 (delivered 1)');
    } finally {
      await h.app.stop();
    }
  });
});
