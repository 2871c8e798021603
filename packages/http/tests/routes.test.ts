import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { createHttpServer } from '../src/create-http-server.js';
import { createDemoService } from './fixtures/demo-service.js';
import { testContext } from './fixtures/test-context.js';

const server = createHttpServer({
  service: createDemoService(),
  log: pino({ level: 'silent' }),
  createContext: testContext,
});
const { app } = server;
afterAll(() => server.close());

describe('operations as routes', () => {
  it('a GET route takes path parameters and coerces query strings through the operation schema', async () => {
    const res = await app.inject({ method: 'GET', url: '/items/a1?verbose=true&limit=5' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.json()).toEqual({ item: { id: 'a1', name: 'item a1', tags: [] }, verbose: true, limit: 5 });
  });

  it('z.stringbool() reads "false" as false (z.coerce.boolean would not)', async () => {
    const res = await app.inject({ method: 'GET', url: '/items/a1?verbose=false' });
    expect(res.json()).toMatchObject({ verbose: false, limit: 10 });
  });

  it('a POST route takes its input from the JSON body', async () => {
    const res = await app.inject({ method: 'POST', url: '/items', payload: { name: 'pen', tags: ['x'] } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ id: 'new', name: 'pen', tags: ['x'] });
  });

  it('path parameters win over body fields of the same name (PATH_PARAMS_WIN)', async () => {
    const res = await app.inject({
      method: 'PUT',
      url: '/items/real',
      payload: { id: 'spoofed', name: 'n' },
    });
    expect(res.json()).toMatchObject({ id: 'real', name: 'n' });
  });

  it('path parameters win over query fields of the same name', async () => {
    const res = await app.inject({ method: 'DELETE', url: '/items/real?id=spoofed' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ deleted: true, id: 'real' });
  });

  it('a non-object body reaches a non-object input schema as it is', async () => {
    const res = await app.inject({ method: 'POST', url: '/sum', payload: [1, 2, 3.5] });
    expect(res.json()).toEqual({ total: 6.5 });
  });

  it('a POST with no body is an empty input, judged by the schema', async () => {
    const res = await app.inject({ method: 'POST', url: '/items' });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('BOSUN_VALIDATION_FAILED');
  });

  it('an operation without `http` has no route', async () => {
    const routes = app.printRoutes({ commonPrefix: false });
    expect(routes).not.toMatch(/internalOnly/);
    const res = await app.inject({ method: 'POST', url: '/internalOnly', payload: { x: 1 } });
    expect(res.statusCode).toBe(404);
  });
});
