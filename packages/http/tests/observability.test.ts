import { Registry } from 'prom-client';
import { afterAll, describe, expect, it } from 'vitest';
import { createHttpServer } from '../src/create-http-server.js';
import { createDemoService } from './fixtures/demo-service.js';
import { captureLog, testContext } from './fixtures/test-context.js';

const { log, lines } = captureLog();
const registry = new Registry();
const server = createHttpServer({
  service: createDemoService(),
  log,
  createContext: testContext,
  metricsRegistry: registry,
});
const { app } = server;
afterAll(() => server.close());

describe('request ids', () => {
  it("echoes the caller's x-request-id", async () => {
    const res = await app.inject({ url: '/items/a', headers: { 'x-request-id': 'abc-123.x:y_z' } });
    expect(res.headers['x-request-id']).toBe('abc-123.x:y_z');
  });

  it('replaces an unsafe id with a generated one (REQUEST_ID_IS_SAFE)', async () => {
    for (const bad of ['a b', 'x'.repeat(129), '<script>', '']) {
      const res = await app.inject({ url: '/items/a', headers: { 'x-request-id': bad } });
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('generates an id when none is sent, and puts it in problem documents', async () => {
    const res = await app.inject({ url: '/items/missing' });
    const id = res.headers['x-request-id'];
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.json().requestId).toBe(id);
  });
});

describe('access log and metrics', () => {
  it('logs one access line per request through a child logger bound to the request id', async () => {
    await app.inject({ url: '/items/a?limit=3', headers: { 'x-request-id': 'log-me' } });
    const access = lines.filter((l) => l.requestId === 'log-me' && l.msg === 'request');
    expect(access).toHaveLength(1);
    expect(access[0]).toMatchObject({
      method: 'GET',
      route: '/items/:id',
      status: 200,
      url: '/items/a?limit=3',
    });
    expect(typeof access[0]!.durationMs).toBe('number');
  });

  it('logs a 5xx with its error, under the request id', async () => {
    await app.inject({ method: 'POST', url: '/crash', payload: {}, headers: { 'x-request-id': 'crash-1' } });
    const failed = lines.find((l) => l.requestId === 'crash-1' && l.msg === 'request failed');
    expect(failed).toMatchObject({ level: 50, code: 'BOSUN_INTERNAL' });
  });

  it('counts requests by method, route template and status (BOUNDED_LABELS)', async () => {
    await app.inject({ url: '/items/x1' });
    await app.inject({ url: '/items/x2' });
    await app.inject({ url: '/random/path/1' });
    const text = await registry.metrics();
    expect(text).toMatch(/bosun_http_requests_total\{method="GET",route="\/items\/:id",status="200"\} \d+/);
    expect(text).toMatch(/bosun_http_requests_total\{method="GET",route="unmatched",status="404"\} 1/);
    expect(text).toMatch(
      /bosun_http_request_duration_seconds_bucket\{le="0.005",method="GET",route="\/items\/:id",status="200"\}/,
    );
    expect(text).not.toContain('/items/x1');
  });

  it('a second server on the same registry reuses the metrics', async () => {
    const other = createHttpServer({
      service: createDemoService(),
      log,
      createContext: testContext,
      metricsRegistry: registry,
    });
    await other.app.inject({ url: '/items/y' });
    await other.close();
  });
});
