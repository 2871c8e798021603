import type { InjectOptions } from 'fastify';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { createHttpServer } from '../src/create-http-server.js';
import { createDemoService } from './fixtures/demo-service.js';
import { testContext } from './fixtures/test-context.js';

const make = (production: boolean) =>
  createHttpServer({
    service: createDemoService(),
    log: pino({ level: 'silent' }),
    createContext: testContext,
    production,
    bodyLimit: 1024,
  });
const dev = make(false);
const prod = make(true);
afterAll(async () => {
  await dev.close();
  await prod.close();
});

async function problemOf(req: InjectOptions, server = dev) {
  const res = await server.app.inject(req);
  expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
  const body = res.json();
  expect(body.status).toBe(res.statusCode);
  expect(body.requestId).toBe(res.headers['x-request-id']);
  expect(body.type).toBe(`https://bosun.dev/errors/${body.code}`);
  return { status: res.statusCode, body };
}

describe('errors are RFC 9457 problem+json with a code and the request id', () => {
  it('input failing the schema: 400 BOSUN_VALIDATION_FAILED with the issues', async () => {
    const { status, body } = await problemOf({ method: 'GET', url: '/items/a?limit=abc' });
    expect(status).toBe(400);
    expect(body.code).toBe('BOSUN_VALIDATION_FAILED');
    expect(body.issues[0].path).toBe('limit');
  });

  it('a query boolean that is not a boolean word is a validation failure', async () => {
    const { body } = await problemOf({ method: 'GET', url: '/items/a?verbose=maybe' });
    expect(body.code).toBe('BOSUN_VALIDATION_FAILED');
  });

  it("a handler's coded error keeps its code and status", async () => {
    const { status, body } = await problemOf({ method: 'GET', url: '/items/missing' });
    expect(status).toBe(404);
    expect(body).toMatchObject({
      code: 'DEMO_ITEM_NOT_FOUND',
      detail: 'No item "missing".',
      retryable: false,
    });
  });

  it('a crash is 500 BOSUN_INTERNAL; its detail shows outside production only', async () => {
    const devProblem = await problemOf({ method: 'POST', url: '/crash', payload: {} });
    expect(devProblem.status).toBe(500);
    expect(devProblem.body).toMatchObject({ code: 'BOSUN_INTERNAL', detail: 'secret internal detail' });
    const prodProblem = await problemOf({ method: 'POST', url: '/crash', payload: {} }, prod);
    expect(prodProblem.body.code).toBe('BOSUN_INTERNAL');
    expect(JSON.stringify(prodProblem.body)).not.toContain('secret');
  });

  it('an output failing its schema is 500 BOSUN_OUTPUT_INVALID (OUTPUT_IS_VALIDATED)', async () => {
    const { status, body } = await problemOf({ method: 'GET', url: '/bad-output' });
    expect(status).toBe(500);
    expect(body.code).toBe('BOSUN_OUTPUT_INVALID');
  });

  it('malformed JSON is 400 BOSUN_BAD_REQUEST', async () => {
    const { status, body } = await problemOf({
      method: 'POST',
      url: '/items',
      headers: { 'content-type': 'application/json' },
      payload: '{"name": "pen",',
    });
    expect(status).toBe(400);
    expect(body.code).toBe('BOSUN_BAD_REQUEST');
  });

  it('an empty JSON body is 400 BOSUN_BAD_REQUEST', async () => {
    const { body } = await problemOf({
      method: 'POST',
      url: '/items',
      headers: { 'content-type': 'application/json' },
      payload: '',
    });
    expect(body.code).toBe('BOSUN_BAD_REQUEST');
  });

  it('a __proto__ key in the body is 400 BOSUN_BAD_REQUEST', async () => {
    const { body } = await problemOf({
      method: 'POST',
      url: '/items',
      headers: { 'content-type': 'application/json' },
      payload: '{"name":"x","__proto__":{"polluted":true}}',
    });
    expect(body.code).toBe('BOSUN_BAD_REQUEST');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('a body that is not JSON is 415 BOSUN_UNSUPPORTED_MEDIA_TYPE', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml']) {
      const { status, body } = await problemOf({
        method: 'POST',
        url: '/items',
        headers: { 'content-type': type },
        payload: 'name=pen',
      });
      expect(status).toBe(415);
      expect(body.code).toBe('BOSUN_UNSUPPORTED_MEDIA_TYPE');
    }
  });

  it('a body over the configured limit is 413 BOSUN_PAYLOAD_TOO_LARGE', async () => {
    const { status, body } = await problemOf({
      method: 'POST',
      url: '/items',
      payload: { name: 'x'.repeat(2000) },
    });
    expect(status).toBe(413);
    expect(body.code).toBe('BOSUN_PAYLOAD_TOO_LARGE');
  });

  it('an unknown route is 404 BOSUN_HTTP_ROUTE_NOT_FOUND', async () => {
    const { status, body } = await problemOf({ method: 'GET', url: '/nope?x=1' });
    expect(status).toBe(404);
    expect(body.code).toBe('BOSUN_HTTP_ROUTE_NOT_FOUND');
    expect(body.detail).toBe('No route for GET /nope.');
  });

  it('a known path with the wrong method is 404 BOSUN_HTTP_ROUTE_NOT_FOUND', async () => {
    const { body } = await problemOf({ method: 'PATCH', url: '/items/a1', payload: {} });
    expect(body.code).toBe('BOSUN_HTTP_ROUTE_NOT_FOUND');
  });
});
