/**
 * The registry as a process (src/main.ts) with a worker service beside it, on a real
 * PostgreSQL and a real NATS, driven over REST: the live view of services and instances,
 * queue statistics, schedules, job lists with keyset paging, job detail, and the admin
 * actions behind REGISTRY_ADMIN_TOKEN.
 */
import { describeWithNats, useTestDatabase } from '@bosun/testing';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, expect, test } from 'vitest';
import {
  ADMIN_TOKEN,
  busRoot,
  call,
  dropStreams,
  enqueue,
  HEARTBEAT_MS,
  type Running,
  startRegistry,
  startWorker,
} from './platform.js';

describeWithNats('the registry over REST', () => {
  const db = useTestDatabase({ label: 'registry' });
  const root = busRoot();
  let registry: Running;
  let worker: Running;

  beforeAll(async () => {
    // The worker first: it migrates the queue schema the registry reads.
    worker = await startWorker(db.url, root);
    registry = await startRegistry(db.url, root);
  });

  afterAll(async () => {
    registry?.proc.kill('SIGTERM');
    worker?.proc.kill('SIGTERM');
    await Promise.all([registry?.proc.exited, worker?.proc.exited]);
    await dropStreams(root);
  });

  const get = (path: string) => call(registry.api, 'GET', path);

  test('listServices shows every service from its heartbeats, with version, ports, operations and a passing readiness poll', async () => {
    await expect
      .poll(async () => {
        const { body } = await get('/services');
        return body.services?.map((s: { name: string; healthy: number }) => `${s.name}:${s.healthy}`);
      })
      .toEqual(['registry:1', 'worker:1']);
    // The first beat precedes the HTTP listen (port 0); the next ones announce its port.
    await expect
      .poll(async () => (await get('/services/worker')).body.instances[0].ports['http:worker'])
      .toBe(Number(new URL(worker.api).port));
    const { body } = await get('/services/worker');
    expect(body).toMatchObject({ name: 'worker', versions: ['1.2.3'], live: 1, healthy: 1 });
    const [instance] = body.instances;
    expect(instance).toMatchObject({
      health: 'ok',
      reported: 'ok',
      stale: false,
      readiness: { ok: true, status: 200 },
    });
    expect(instance.ports.health).toBe(Number(new URL(worker.health).port));
    expect(instance.ports['http:worker']).toBe(Number(new URL(worker.api).port));
    expect(body.operations.map((o: { name: string }) => o.name)).toEqual(['enqueue']);
    expect(body.operations[0].inputSchema).toMatchObject({ type: 'object' });
  });

  test('an unknown service is a coded 404', async () => {
    const { status, body } = await get('/services/nobody');
    expect(status).toBe(404);
    expect(body.code).toBe('REGISTRY_SERVICE_NOT_FOUND');
  });

  test('queueStats counts every queue by state, and listSchedules shows the next run', async () => {
    await enqueue(worker.api, 'ok', [{ n: 1 }, { n: 2 }, { n: 3 }]);
    await expect
      .poll(async () => {
        const { body } = await get('/queues');
        return body.queues?.find((q: { name: string }) => q.name === 'ok')?.counts.completed;
      })
      .toBe(3);
    const { body } = await get('/schedules');
    expect(body.schedules).toEqual([
      expect.objectContaining({ job: 'flaky', key: 'nightly', cron: '0 3 * * *', tz: 'UTC' }),
    ]);
    const next = new Date(body.schedules[0].nextRun);
    expect(next.getUTCHours()).toBe(3);
    expect(next.getTime()).toBeGreaterThan(Date.now());
  });

  test('listJobs pages a queue newest first with a keyset cursor, each job exactly once, filtered by state and time', async () => {
    const before = new Date().toISOString();
    const ids = await enqueue(
      worker.api,
      'ok',
      Array.from({ length: 23 }, (_, i) => ({ n: i })),
    );
    await expect
      .poll(
        async () => (await get(`/jobs?queue=ok&state=completed&from=${before}&limit=100`)).body.jobs.length,
      )
      .toBe(23);
    const seen: string[] = [];
    let cursor = '';
    for (let page = 0; page < 10; page++) {
      const { status, body } = await get(`/jobs?queue=ok&from=${before}&limit=5${cursor}`);
      expect(status).toBe(200);
      seen.push(...body.jobs.map((j: { id: string }) => j.id));
      if (!body.nextCursor) break;
      cursor = `&cursor=${body.nextCursor}`;
    }
    expect(seen).toEqual([...ids].sort((a, b) => Number(b) - Number(a)));
    const none = await get(`/jobs?queue=ok&to=${before}&from=${before}`);
    expect(none.body.jobs).toEqual([]);
    const bad = await get('/jobs?queue=ok&state=finished');
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('BOSUN_VALIDATION_FAILED');
  });

  test('getJob shows a failed job’s data, attempts and error with stack; retry needs the admin token, then it completes', async () => {
    const [id] = await enqueue(worker.api, 'flaky', [{ n: 7, note: '<script>alert(1)</script>' }]);
    await expect.poll(async () => (await get(`/jobs/${id}`)).body.state).toBe('failed');
    const { body: failed } = await get(`/jobs/${id}`);
    expect(failed).toMatchObject({
      id,
      name: 'flaky',
      data: { n: 7, note: '<script>alert(1)</script>' },
      attempt: 1,
      lastError: { message: 'flaky job 7 fails its first run on purpose' },
    });
    expect(failed.lastError.stack).toContain('worker-definition.ts');
    expect(failed.createdAt).toMatch(/Z$/);
    expect(failed.finishedAt).not.toBeNull();

    const anonymous = await call(registry.api, 'POST', `/jobs/${id}/retry`);
    expect(anonymous.status).toBe(403);
    expect(anonymous.body.code).toBe('BOSUN_FORBIDDEN');
    const wrong = await call(registry.api, 'POST', `/jobs/${id}/retry`, { token: 'x'.repeat(40) });
    expect(wrong.status).toBe(403);
    expect(wrong.body.code).toBe('BOSUN_FORBIDDEN');
    expect((await call(registry.api, 'GET', `/jobs/${id}`, { token: 'x'.repeat(40) })).status).toBe(200);
    expect((await get(`/jobs/${id}`)).body.state).toBe('failed');

    const retried = await call(registry.api, 'POST', `/jobs/${id}/retry`, { token: ADMIN_TOKEN });
    expect(retried.status).toBe(200);
    expect(retried.body.id).toBe(id);
    await expect.poll(async () => (await get(`/jobs/${id}`)).body.state).toBe('completed');
    expect((await get(`/jobs/${id}`)).body.output).toEqual({ n: 7, done: true });

    const again = await call(registry.api, 'POST', `/jobs/${id}/retry`, { token: ADMIN_TOKEN });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('REGISTRY_JOB_NOT_RETRYABLE');
    expect((await get('/jobs/999999999')).body.code).toBe('REGISTRY_JOB_NOT_FOUND');
  });

  test('cancelJob cancels a queued job; a finished one is a coded 409', async () => {
    const [id] = await enqueue(worker.api, 'slow', [{ n: 1, ms: 5000 }]);
    const [queued] = await enqueue(worker.api, 'slow', [{ n: 2, ms: 5000 }]);
    const cancelled = await call(registry.api, 'POST', `/jobs/${queued}/cancel`, { token: ADMIN_TOKEN });
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    expect(cancelled.body).toEqual({ id: queued, state: 'cancelled' });
    const twice = await call(registry.api, 'POST', `/jobs/${queued}/cancel`, { token: ADMIN_TOKEN });
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('REGISTRY_JOB_NOT_CANCELLABLE');
    await call(registry.api, 'POST', `/jobs/${id}/cancel`, { token: ADMIN_TOKEN });
  });

  test('dead letters are listed per origin and redriven back to the queue they failed on', async () => {
    await enqueue(worker.api, 'doomed', [{ n: 1 }, { n: 2 }]);
    await expect
      .poll(async () => (await get('/dead-letters')).body.deadLetters)
      .toEqual([{ name: 'doomed-dlq', origin: 'doomed', waiting: 2 }]);
    await expect
      .poll(
        async () =>
          (await get('/queues')).body.queues.find((q: { name: string }) => q.name === 'doomed-dlq')
            ?.deadLetterFor,
      )
      .toEqual(['doomed']);
    const refused = await call(registry.api, 'POST', '/dead-letters/doomed-dlq/redrive');
    expect(refused.status).toBe(403);
    const moved = await call(registry.api, 'POST', '/dead-letters/doomed-dlq/redrive', {
      token: ADMIN_TOKEN,
    });
    expect(moved.body).toEqual({ queue: 'doomed-dlq', moved: 2 });
    // They fail again on `doomed` and come back: redrive moved them, it did not drop them.
    await expect
      .poll(async () => (await get('/dead-letters')).body.deadLetters)
      .toEqual([{ name: 'doomed-dlq', origin: 'doomed', waiting: 2 }]);
  });

  test('over MCP every operation is a tool; reads answer, an admin tool without the scope is a coded refusal', async () => {
    const client = new Client({ name: 'bosun-test', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${registry.api}/mcp`)));
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name).sort()).toEqual([
        'cancelJob',
        'getJob',
        'getService',
        'listDeadLetters',
        'listJobs',
        'listSchedules',
        'listServices',
        'queueStats',
        'redriveDeadLetters',
        'retryJob',
      ]);
      const listed = await client.callTool({ name: 'listServices', arguments: {} });
      expect(listed.isError).toBeFalsy();
      const names = (listed.structuredContent as { services: Array<{ name: string }> }).services.map(
        (s) => s.name,
      );
      expect(names).toContain('worker');
      const [id] = await enqueue(worker.api, 'failing', [{ n: 1 }]);
      await expect.poll(async () => (await get(`/jobs/${id}`)).body.state).toBe('failed');
      const refused = await client.callTool({ name: 'retryJob', arguments: { id } });
      expect(refused.isError).toBe(true);
      expect(JSON.stringify(refused.content)).toContain('BOSUN_FORBIDDEN');
      expect((await get(`/jobs/${id}`)).body.state).toBe('failed');
    } finally {
      await client.close();
    }
  });

  test('dashboard actions: sign-in sets a derived cookie, a cross-site post is refused, no confirm=yes asks first', async () => {
    const form = (body: Record<string, string>, headers: Record<string, string> = {}) => ({
      method: 'POST',
      redirect: 'manual' as const,
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(body).toString(),
    });
    const wrong = await fetch(`${registry.api}/dashboard/login`, form({ token: 'y'.repeat(40) }));
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();
    const signedIn = await fetch(
      `${registry.api}/dashboard/login`,
      form({ token: ADMIN_TOKEN, next: '//evil.example/x' }),
    );
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get('location')).toBe('/dashboard');
    const setCookie = signedIn.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/HttpOnly; SameSite=Strict/);
    expect(setCookie).not.toContain(ADMIN_TOKEN);
    const cookie = setCookie.split(';')[0]!;

    const [id] = await enqueue(worker.api, 'flaky', [{ n: 2 }]);
    await expect.poll(async () => (await get(`/jobs/${id}`)).body.state).toBe('failed');
    const crossSite = await fetch(
      `${registry.api}/dashboard/jobs/${id}/retry`,
      form({ confirm: 'yes' }, { cookie, origin: 'http://evil.example' }),
    );
    expect(crossSite.status).toBe(403);
    const unconfirmed = await fetch(`${registry.api}/dashboard/jobs/${id}/retry`, form({}, { cookie }));
    expect(unconfirmed.status).toBe(200);
    expect(await unconfirmed.text()).toContain('name="confirm" value="yes"');
    const anonymous = await fetch(`${registry.api}/dashboard/jobs/${id}/retry`, form({ confirm: 'yes' }));
    expect(anonymous.status).toBe(403);
    expect((await get(`/jobs/${id}`)).body.state).toBe('failed');
    const done = await fetch(
      `${registry.api}/dashboard/jobs/${id}/retry`,
      form({ confirm: 'yes' }, { cookie }),
    );
    expect(done.status).toBe(303);
    await expect.poll(async () => (await get(`/jobs/${id}`)).body.state).toBe('completed');

    const notAPage = await fetch(`${registry.api}/dashboard/live?src=${encodeURIComponent('/services')}`);
    expect(notAPage.status).toBe(404);
    const page = await fetch(`${registry.api}/dashboard/queues`);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  test('a killed instance is stale within two heartbeat intervals; the others stay live', async () => {
    const extra = await startWorker(db.url, root);
    const port = Number(new URL(extra.health).port);
    const find = async () =>
      (
        (await get('/services/worker')).body.instances as Array<{ ports: { health: number }; health: string }>
      ).find((i) => i.ports.health === port);
    await expect.poll(async () => (await find())?.health).toBe('ok');
    extra.proc.kill('SIGKILL');
    await extra.proc.exited;
    await new Promise((r) => setTimeout(r, 2 * HEARTBEAT_MS));
    expect(await find()).toMatchObject({ health: 'stale', stale: true });
    const { body } = await get('/services/worker');
    expect(body.live).toBe(1);
  });
});
