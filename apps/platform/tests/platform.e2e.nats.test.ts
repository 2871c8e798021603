/**
 * End to end in the production topology: users, notifications and the gateway each in
 * its own process (their own src/main.ts under tsx), over a real NATS (a random
 * BUS_SUBJECT_ROOT for this file) and a real PostgreSQL (one database for the file; each
 * service in its own schema, as in production), driven only over HTTP through the gateway.
 *
 * The flow: sign up at the gateway's REST -> users commits the user and its `user.created`
 * together (the outbox) -> NATS JetStream -> notifications queues a welcome -> a signed
 * webhook to a local receiver (NOTIFICATIONS_WEBHOOK_URL), retried with backoff
 * (NOTIFICATIONS_RETRY_DELAY_SECONDS=1, the default NOTIFICATIONS_RETRY_LIMIT=2: three
 * attempts), dead-lettered after the third failure.
 *
 * The delivery log is read through the gateway (GET /api/notifications/notifications/:id)
 * with the token of an operator whose account holds `notifications:read` — granted in
 * users.users.scopes, the documented way (there is no operation for it) — and refused to a
 * user without it (403).
 *
 * One platform for the file; the tests share it in order (the crash test is last: it
 * replaces the notifications process).
 */
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import {
  describeWithNats,
  natsUrl,
  type ServiceProcess,
  spawnService,
  useTestDatabase,
} from '@bosun/testing';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import pg from 'pg';
import { afterAll, beforeAll, expect, onTestFinished, test } from 'vitest';
import { codeOf, gatewayClient } from './gateway-client.js';
import {
  deliveryLog,
  expectSignedWelcome,
  grantScopes,
  logIn,
  type SignedUp,
  signUp,
  until,
  WEBHOOK_SECRET,
} from './platform-flow.js';
import { startWelcomeReceiver, type WelcomeReceiver } from './welcome-receiver.js';

const entry = (service: string) =>
  fileURLToPath(new URL(`../../../services/${service}/src/main.ts`, import.meta.url));

describeWithNats('the platform as separate processes over NATS and PostgreSQL', () => {
  const db = useTestDatabase({ label: 'platform_e2e_nats' });
  const root = `t_e2e_${randomBytes(3).toString('hex')}`;
  const tag = randomBytes(3).toString('hex');
  const emailFor = (who: string) => `${who}-${tag}@example.com`;

  let receiver: WelcomeReceiver;
  let usersProc: ServiceProcess;
  let notificationsProc: ServiceProcess;
  let gatewayProc: ServiceProcess;
  let client: ReturnType<typeof gatewayClient>;
  let log: ReturnType<typeof deliveryLog>;
  let operatorToken: string;
  let userToken: string;

  const common = () => ({
    PATH: process.env.PATH,
    NATS_URL: natsUrl()!,
    BUS_SUBJECT_ROOT: root,
    PORT: '0',
    HEALTH_PORT: '0',
    HOST: '127.0.0.1',
    HEARTBEAT_INTERVAL_MS: '500',
    LOG_LEVEL: 'info',
  });

  async function startNotifications(): Promise<ServiceProcess> {
    const proc = spawnService({
      entry: entry('notifications'),
      env: {
        ...common(),
        DATABASE_URL: db.url,
        NOTIFICATIONS_WEBHOOK_URL: receiver.url,
        NOTIFICATIONS_WEBHOOK_SECRET: WEBHOOK_SECRET,
        NOTIFICATIONS_RETRY_DELAY_SECONDS: '1',
        // Bounds a held POST, and with it the job's expiry (timeout + 5 s) after a SIGKILL.
        NOTIFICATIONS_DELIVERY_TIMEOUT_MS: '3000',
      },
    });
    await proc.waitForLine(/"msg":"serving"/, 45_000);
    return proc;
  }

  /** The welcome's notification id, from the first request the receiver got for `user` (signature checked). */
  async function welcomeId(user: SignedUp): Promise<string> {
    await expect.poll(() => receiver.requestsFor(user.email).length, { timeout: 20_000 }).toBeGreaterThan(0);
    return expectSignedWelcome(receiver.requestsFor(user.email)[0]!, user);
  }

  beforeAll(async () => {
    receiver = await startWelcomeReceiver();
    usersProc = spawnService({
      entry: entry('users'),
      env: { ...common(), DATABASE_URL: db.url, USERS_SCRYPT_LOG_N: '15' },
    });
    const notificationsStarted = startNotifications();
    gatewayProc = spawnService({ entry: entry('gateway'), env: common() });
    await usersProc.waitForLine(/"msg":"serving"/, 45_000);
    notificationsProc = await notificationsStarted;
    const serving = JSON.parse(await gatewayProc.waitForLine(/"msg":"serving"/, 45_000)) as {
      http: string[];
    };
    client = gatewayClient(serving.http[0]!);
    log = deliveryLog(client, () => operatorToken);

    // The gateway learns both services from their heartbeats, and users the gateway's key
    // from its own: until then a sign-up is refused. A first account proves both are in place.
    await until(
      'the gateway to list the notifications operations',
      async () => Object.keys((await client.rest('GET', '/openapi.json')).body.paths ?? {}),
      (paths) => paths.includes('/api/notifications/notifications/{id}'),
    );
    const operator = { email: emailFor('operator'), password: `pw-${tag}-operator-long`, name: 'Operator' };
    await until(
      'a first sign-up through the gateway',
      async () => (await client.rest('POST', '/api/users/users', operator)).status,
      (status) => status === 200,
    );
    await grantScopes(db.url, operator.email, ['notifications:read']);
    operatorToken = await logIn(client, operator);
  }, 90_000);

  afterAll(async () => {
    // The notifications process the crash test restarted is stopped (and checked) there.
    for (const proc of [gatewayProc, notificationsProc, usersProc]) proc?.kill('SIGTERM');
    const exits = await Promise.all([gatewayProc, usersProc].map((p) => p?.exited));
    await receiver?.close();
    const nc = await connect({ servers: natsUrl()! });
    const jsm = await jetstreamManager(nc);
    for (const name of [`${root.toUpperCase()}_EVENTS`, `${root.toUpperCase()}_DLQ`])
      await jsm.streams.delete(name).catch(() => {});
    await nc.close();
    for (const exit of exits) if (exit) expect(exit.code).toBe(0);
  }, 30_000);

  test('a sign-up at the gateway becomes a welcome webhook with a valid signature, delivered on the first attempt', async () => {
    const ada = await signUp(client, emailFor('ada'), 'Ada');
    const id = await welcomeId(ada);
    await expect.poll(() => log.statusOf(id), { timeout: 15_000 }).toBe('delivered');
    expect(await log.attemptsOf(id)).toEqual([[1, 'delivered', 200]]);
    expect(receiver.requestsFor(ada.email)).toHaveLength(1);

    // One database for the platform, as in production: each service in a schema of its own.
    const sql = new pg.Client({ connectionString: db.url });
    await sql.connect();
    const { rows } = await sql.query<{ schema: string }>(
      `SELECT table_schema AS schema FROM information_schema.tables
        WHERE table_name IN ('users', 'notifications') ORDER BY 1`,
    );
    await sql.end();
    expect(rows.map((r) => r.schema)).toEqual(['notifications', 'users']);

    // The log is behind `notifications:read`: Ada's own token (users:read users:write) is refused.
    userToken = await logIn(client, ada);
    const refused = await client.restOutcome(
      'GET',
      `/api/notifications/notifications/${id}`,
      undefined,
      userToken,
    );
    expect(codeOf(refused)).toBe('BOSUN_FORBIDDEN 403');
    const anonymous = await client.restOutcome('GET', `/api/notifications/notifications/${id}`);
    expect(codeOf(anonymous)).toBe('BOSUN_UNAUTHENTICATED 401');
  });

  test('a receiver failing twice (500) gets the welcome on the third attempt; the log through the gateway shows three attempts', async () => {
    const email = emailFor('flaky');
    receiver.plan(email, [500, 500, 200]);
    const bob = await signUp(client, email, 'Bob');
    const id = await welcomeId(bob);
    await expect.poll(() => log.statusOf(id), { timeout: 30_000, interval: 250 }).toBe('delivered');
    expect(await log.attemptsOf(id)).toEqual([
      [1, 'failed', 500],
      [2, 'failed', 500],
      [3, 'delivered', 200],
    ]);
    // Every attempt is signed over the same bytes and numbered.
    const requests = receiver.requestsFor(email);
    expect(requests.map((r) => r.headers['bosun-attempt'])).toEqual(['1', '2', '3']);
    for (const req of requests) expect(expectSignedWelcome(req, bob)).toBe(id);
    expect(new Set(requests.map((r) => r.body)).size).toBe(1);
  });

  test('a receiver always failing: the welcome is dead-lettered after three logged attempts, and no fourth is made', async () => {
    const email = emailFor('gone');
    receiver.plan(email, [500]);
    const cy = await signUp(client, email, 'Cy');
    const id = await welcomeId(cy);
    await expect.poll(() => log.statusOf(id), { timeout: 30_000, interval: 250 }).toBe('dead');
    expect(await log.attemptsOf(id)).toEqual([
      [1, 'failed', 500],
      [2, 'failed', 500],
      [3, 'failed', 500],
    ]);
    expect((await log.notification(id)).lastError).toEqual(expect.any(String));
    // The dead letter's worker recorded it (DEAD_IS_RECORDED), once.
    const deadLines = () =>
      notificationsProc
        .logs()
        .filter((l) => l.notificationId === id && String(l.msg).startsWith('notification is dead'));
    await expect.poll(() => deadLines().length).toBe(1);
    expect(deadLines()[0]).toMatchObject({ level: 'error', attempts: 3 });
    expect(receiver.requestsFor(email)).toHaveLength(3);
  });

  test('SIGKILL of notifications while a welcome is in flight loses nothing: restarted, it delivers that welcome and one signed up while it was down', async () => {
    const email = emailFor('crash');
    receiver.plan(email, ['hold', 200]);
    const dee = await signUp(client, email, 'Dee');
    await expect.poll(() => receiver.held.length, { timeout: 20_000 }).toBe(1);
    const id = expectSignedWelcome(receiver.requestsFor(email)[0]!, dee);
    notificationsProc.kill('SIGKILL');
    expect((await notificationsProc.exited).signal).toBe('SIGKILL');
    for (const res of receiver.held.splice(0)) res.destroy();

    // While notifications is down, `user.created` waits in JetStream for its durable consumer.
    const eve = await signUp(client, emailFor('while-down'), 'Eve');
    notificationsProc = await startNotifications();
    const restarted = notificationsProc;
    onTestFinished(async () => {
      restarted.kill('SIGTERM');
      expect((await restarted.exited).code).toBe(0);
    });

    await expect.poll(() => log.statusOf(id), { timeout: 40_000, interval: 250 }).toBe('delivered');
    expect(await log.attemptsOf(id)).toEqual([
      [1, 'interrupted', null],
      [2, 'delivered', 200],
    ]);
    // At-least-once: the receiver saw it twice, with the same notification id to drop the duplicate.
    expect(receiver.requestsFor(email).map((r) => expectSignedWelcome(r, dee))).toEqual([id, id]);

    const eveId = await welcomeId(eve);
    await expect.poll(() => log.statusOf(eveId), { timeout: 15_000 }).toBe('delivered');
    expect(await log.attemptsOf(eveId)).toEqual([[1, 'delivered', 200]]);
  }, 90_000);
});
