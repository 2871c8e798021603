import fc from 'fast-check';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { createHttpServer } from '../src/create-http-server.js';
import { createDemoService } from './fixtures/demo-service.js';
import { testContext } from './fixtures/test-context.js';

const server = createHttpServer({
  service: createDemoService(),
  log: pino({ level: 'silent' }),
  createContext: testContext,
  bodyLimit: 4096,
});
afterAll(() => server.close());

const segment = fc.string({ maxLength: 12 }).map(encodeURIComponent);
const path = fc.oneof(
  fc.constantFrom('/items', '/sum', '/slow'),
  segment.map((s) => `/items/${s || 'x'}`),
  fc.array(segment, { maxLength: 4 }).map((parts) => `/x/${parts.join('/')}`),
);
const query = fc.dictionary(
  fc.constantFrom('id', 'verbose', 'limit', 'name', '__proto__', 'constructor', 'q'),
  fc.string({ maxLength: 8 }),
  { maxKeys: 4 },
);
const jsonBody = fc.oneof(
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc
    .record({ name: fc.jsonValue(), tags: fc.jsonValue(), id: fc.jsonValue() }, { requiredKeys: [] })
    .map((v) => JSON.stringify(v)),
  fc.array(fc.oneof(fc.double(), fc.string()), { maxLength: 120 }).map((v) => JSON.stringify(v)),
);
const body = fc.oneof(
  jsonBody,
  jsonBody.chain((s) => fc.nat({ max: Math.max(0, s.length) }).map((n) => s.slice(0, n))),
  fc.string({ maxLength: 64 }),
  fc.constantFrom(
    '{"__proto__":{"x":1}}',
    '{"constructor":{"prototype":{"x":1}}}',
    '',
    'null',
    '[',
    'x'.repeat(5000),
  ),
);
const contentType = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/jsonx',
  undefined,
);
const request = fc.record({
  method: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'),
  path,
  query,
  body: fc.option(body, { nil: undefined }),
  contentType,
  requestId: fc.option(
    fc.string({ maxLength: 140 }).filter((s) => !/[\r\n\0]/.test(s)),
    { nil: undefined },
  ),
});

describe('HTTP fuzz', () => {
  it('2,000 random and malformed requests answer 2xx or a coded 4xx problem, never a 5xx', async () => {
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    process.on('unhandledRejection', onRejection);
    try {
      await fc.assert(
        fc.asyncProperty(request, async (r) => {
          const headers: Record<string, string> = {};
          if (r.contentType !== undefined) headers['content-type'] = r.contentType;
          if (r.requestId !== undefined) headers['x-request-id'] = r.requestId;
          const withBody = r.body !== undefined && r.method !== 'GET' && r.method !== 'HEAD';
          const res = await server.app.inject({
            method: r.method as 'GET',
            url: r.path,
            query: r.query,
            headers,
            ...(withBody ? { payload: r.body } : {}),
          });
          expect(res.statusCode).toBeLessThan(500);
          if (res.statusCode >= 400 && r.method !== 'HEAD') {
            expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
            expect(res.json().code).toMatch(/^[A-Z][A-Z0-9_]+$/);
          }
          expect(res.headers['x-request-id']).toMatch(/^[A-Za-z0-9._:-]{1,128}$/);
        }),
        { numRuns: 2000 },
      );
    } finally {
      process.off('unhandledRejection', onRejection);
    }
    expect(rejections).toEqual([]);
  });
});
