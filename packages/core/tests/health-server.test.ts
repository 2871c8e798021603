import { afterEach, describe, expect, test } from 'vitest';
import { createHealthServer, type HealthServer } from '../src/health/health-server.js';
import { createLifecycle, type Lifecycle } from '../src/lifecycle/create-lifecycle.js';
import { createMetrics } from '../src/metrics/create-metrics.js';
import { captureLog } from './support/capture-log.js';

const lifecycles: Lifecycle[] = [];
afterEach(async () => {
  await Promise.all(lifecycles.splice(0).map((l) => l.stop()));
});

function setup(
  options: { checks?: Record<string, () => Promise<void> | void>; checkTimeoutMs?: number } = {},
) {
  const { log } = captureLog();
  const lifecycle = createLifecycle({ log, drainTimeoutMs: 2000 });
  lifecycles.push(lifecycle);
  const metrics = createMetrics({ service: 'health-test' });
  const health = createHealthServer({ lifecycle, log, metrics, port: 0, host: '127.0.0.1', ...options });
  lifecycle.register(health);
  return { lifecycle, health, metrics };
}

const get = async (health: HealthServer, path: string) => {
  const res = await fetch(health.url + path);
  const text = await res.text();
  return { status: res.status, text, json: () => JSON.parse(text) };
};

describe('health server', () => {
  test('/livez is 200 while /readyz is 503 during start, then /readyz is 200 once ready', async () => {
    const { lifecycle, health } = setup();
    let release!: () => void;
    lifecycle.register({ name: 'database', start: () => new Promise<void>((r) => (release = r)) });
    const starting = lifecycle.start();
    await new Promise((r) => setTimeout(r, 20));
    expect((await get(health, '/livez')).status).toBe(200);
    const notYet = await get(health, '/readyz');
    expect(notYet.status).toBe(503);
    expect(notYet.json()).toMatchObject({ status: 'unavailable', state: 'starting' });
    release();
    await starting;
    const ready = await get(health, '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.json()).toMatchObject({ status: 'ok', state: 'ready' });
  });

  test('details a passing check returns are shown in /readyz without failing it', async () => {
    const { lifecycle, health } = setup();
    lifecycle.register({ name: 'bus', health: () => ({ breakers: { users: 'open' } }) });
    lifecycle.register({ name: 'queue', health: () => {} });
    await lifecycle.start();
    const res = await get(health, '/readyz');
    expect(res.status).toBe(200);
    expect(res.json().checks.bus).toMatchObject({ ok: true, details: { breakers: { users: 'open' } } });
    expect(res.json().checks.queue).not.toHaveProperty('details');
  });

  test('/readyz is 503 naming each failing check with its reason; passing checks are listed ok', async () => {
    const { lifecycle, health } = setup({
      checks: { cache: () => {} },
      checkTimeoutMs: 100,
    });
    lifecycle.register({
      name: 'database',
      health: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:1')),
    });
    lifecycle.register({ name: 'nats', health: () => new Promise(() => {}) });
    await lifecycle.start();
    const res = await get(health, '/readyz');
    expect(res.status).toBe(503);
    const body = res.json();
    expect(body.status).toBe('unavailable');
    expect(body.checks.database).toMatchObject({ ok: false, error: 'connect ECONNREFUSED 127.0.0.1:1' });
    expect(body.checks.nats).toMatchObject({ ok: false, error: 'timed out after 100 ms' });
    expect(body.checks.cache).toMatchObject({ ok: true });
  });

  test('READY_GATES_INTAKE: /readyz is 503 as soon as draining starts, while /livez stays 200', async () => {
    const { lifecycle, health } = setup();
    let finish!: () => void;
    lifecycle.register({ name: 'http', drain: () => new Promise<void>((r) => (finish = r)) });
    await lifecycle.start();
    expect((await get(health, '/readyz')).status).toBe(200);
    const stopping = lifecycle.stop();
    const during = await get(health, '/readyz');
    expect(during.status).toBe(503);
    expect(during.json()).toMatchObject({ status: 'unavailable', state: 'draining' });
    expect((await get(health, '/livez')).status).toBe(200);
    finish();
    await stopping;
    await expect(fetch(health.url + '/livez')).rejects.toThrow();
  });

  test('/metrics serves Prometheus text with process metrics and bosun metrics labelled by service', async () => {
    const { lifecycle, health, metrics } = setup();
    metrics.counter('operations_total', 'Operations handled', ['operation']).inc({ operation: 'ping' });
    await lifecycle.start();
    const res = await get(health, '/metrics');
    expect(res.status).toBe(200);
    expect(res.text).toContain('process_cpu_user_seconds_total');
    expect(res.text).toContain('bosun_operations_total{operation="ping",service="health-test"} 1');
    expect(res.text).toContain('bosun_ready{service="health-test"} 1');
  });

  test('unknown paths are 404 and other methods 405', async () => {
    const { lifecycle, health } = setup();
    await lifecycle.start();
    expect((await get(health, '/nope')).status).toBe(404);
    expect((await fetch(health.url + '/livez', { method: 'POST' })).status).toBe(405);
  });
});

describe('createMetrics', () => {
  test('NO_GLOBAL_REGISTRY: many services in one process get separate registries', async () => {
    const a = createMetrics({ service: 'a' });
    const b = createMetrics({ service: 'b' });
    a.counter('jobs_total', 'Jobs').inc();
    b.counter('jobs_total', 'Jobs').inc(2);
    expect(a.counter('jobs_total', 'Jobs')).toBe(a.counter('jobs_total', 'Jobs'));
    expect(await a.render()).toContain('bosun_jobs_total{service="a"} 1');
    expect(await b.render()).toContain('bosun_jobs_total{service="b"} 2');
    const { register } = await import('prom-client');
    expect(await register.getMetricsAsJSON()).toEqual([]);
  });
});
