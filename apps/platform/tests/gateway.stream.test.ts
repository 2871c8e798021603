/**
 * The gateway's event stream in front of the real services, in one process over the in-process
 * bus on a real PostgreSQL (the `npm start` topology): a `user.created` that the users service
 * commits through its outbox reaches a user administrator's stream and no one else's, and a job
 * started through the gateway streams its progress from the real registry's getJob until it
 * completes, and only for a user the registry lets read it.
 */
import { randomBytes } from 'node:crypto';
import { createLogger, loadConfig } from '@bosun/core';
import { type App, createApp, loadAppConfig } from '@bosun/runtime';
import { createGateway, type GatewayComponent, gatewayEnv } from '@bosun/service-gateway';
import { createRegistry } from '@bosun/service-registry';
import { users } from '@bosun/service-users';
import { useTestDatabase } from '@bosun/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
// Test helpers of the services themselves: an SSE client, and the registry's worker (its `slow`
// job reports progress 50, then sleeps `ms`).
import { openStream } from '../../../services/gateway/tests/sse-client.js';
import { worker } from '../../../services/registry/tests/fixtures/worker-definition.js';
import { gatewayClient } from './gateway-client.js';

const log = createLogger({ service: 'test', instance: 'test', level: 'silent' });
const root = `t_gwst_${randomBytes(3).toString('hex')}`;

describe('the gateway stream over the real platform', () => {
  const db = useTestDatabase({ label: 'gateway_stream' });
  let app: App;
  let gw: GatewayComponent;
  let client: ReturnType<typeof gatewayClient>;

  beforeAll(async () => {
    const registry = createRegistry();
    const services = [users, registry.service, worker];
    const config = loadAppConfig(services, {
      DATABASE_URL: db.url,
      PORT: '0',
      HEALTH_PORT: '0',
      HOST: '127.0.0.1',
      USERS_SCRYPT_LOG_N: '15',
      BUS_SUBJECT_ROOT: root,
      HEARTBEAT_INTERVAL_MS: '60000',
      LOG_LEVEL: 'silent',
    });
    app = await createApp({ services, config, log, extensions: { registry: registry.extension } });
    await app.start();
    gw = createGateway({
      config: loadConfig(gatewayEnv, {
        PORT: '0',
        HOST: '127.0.0.1',
        BUS_SUBJECT_ROOT: root,
        HEARTBEAT_INTERVAL_MS: '60000',
        LOG_LEVEL: 'silent',
        GATEWAY_STREAM_JOB_POLL_MS: '100',
      }),
      transport: () => app.bus.transport,
      log,
    });
    await gw.start!(new AbortController().signal);
    client = gatewayClient(gw.url!);
    const heard = () => new Set(gw.catalog!.entries().map((e) => e.service)).size === 3;
    for (let i = 0; i < 500 && !heard(); i++) await new Promise((r) => setTimeout(r, 20));
    expect(heard()).toBe(true);
  });

  afterAll(async () => {
    await gw?.stop?.(new AbortController().signal);
    await app?.stop();
  });

  async function signUp(email: string, grant: string[] = []): Promise<string> {
    const password = `pw-${randomBytes(6).toString('hex')}-long`;
    const created = await client.rest('POST', '/api/users/users', { email, password, name: 'Ada' });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    if (grant.length > 0) {
      const pool = new pg.Pool({ connectionString: db.url, max: 1 });
      await pool.query('UPDATE users.users SET scopes = scopes || $2::text[] WHERE id = $1', [
        created.body.id,
        grant,
      ]);
      await pool.end();
    }
    const session = await client.rest('POST', '/api/users/sessions', { email, password });
    expect(session.status, JSON.stringify(session.body)).toBe(200);
    return session.body.accessToken;
  }

  test("user.created reaches a users:admin holder's stream; a plain user is refused the topic", async () => {
    const admin = await signUp('root@example.com', ['users:admin']);
    const plain = await signUp('guest@example.com');
    const refused = await openStream(`${gw.url}/stream?topics=user.created&access_token=${plain}`);
    expect([refused.status, refused.problem.code]).toEqual([403, 'BOSUN_FORBIDDEN']);

    const stream = await openStream(`${gw.url}/stream?topics=user.created`, {
      authorization: `Bearer ${admin}`,
    });
    try {
      expect(stream.status).toBe(200);
      await stream.next((m) => m.event === 'ready');
      await signUp('newcomer@example.com');
      const got = await stream.next((m) => m.event === 'event');
      expect(got.data).toMatchObject({
        subject: 'user.created',
        source: 'users',
        data: { email: 'newcomer@example.com' },
      });
    } finally {
      stream.close();
    }
  });

  test("a job started through the gateway streams its progress from the registry's getJob until it completes", async () => {
    const operator = await signUp('operator@example.com', ['registry:read']);
    const items = [{ n: 1, ms: 2000 }];
    const started = await client.rest('POST', '/api/worker/enqueue', { job: 'slow', items }, operator);
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    const [jobId] = started.body.ids;

    const stream = await openStream(`${gw.url}/stream?job=${jobId}`, { authorization: `Bearer ${operator}` });
    expect(stream.status, JSON.stringify(stream.problem)).toBe(200);
    const progressed = await stream.next((m) => m.event === 'job' && m.data.progress?.value === 50);
    expect(progressed.data).toMatchObject({ id: jobId, name: 'slow', state: 'active' });
    const done = await stream.next((m) => m.event === 'job' && m.data.state === 'completed');
    expect(done.data.output).toEqual({ slept: 2000 });
    expect((await stream.next((m) => m.event === 'close')).data).toEqual({ reason: 'job-finished' });
    await stream.ended;
  });

  test("a user without registry:read cannot watch a job: 403, getJob's own scope", async () => {
    const operator = await signUp('owner@example.com', ['registry:read']);
    const started = await client.rest(
      'POST',
      '/api/worker/enqueue',
      { job: 'ok', items: [{ n: 2 }] },
      operator,
    );
    const nosy = await signUp('nosy@example.com');
    const denied = await openStream(`${gw.url}/stream?job=${started.body.ids[0]}&access_token=${nosy}`);
    expect([denied.status, denied.problem.code]).toEqual([403, 'BOSUN_FORBIDDEN']);
  });
});
