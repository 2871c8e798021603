import { Validator } from '@seriousme/openapi-schema-validator';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpServer, INFRA_ROUTES } from '../src/create-http-server.js';
import { buildOpenApiDocument } from '../src/openapi/build-openapi.js';
import { createDemoService } from './fixtures/demo-service.js';
import { testContext } from './fixtures/test-context.js';

const service = createDemoService();
const server = createHttpServer({ service, log: pino({ level: 'silent' }), createContext: testContext });
const { app } = server;
let doc: ReturnType<typeof buildOpenApiDocument>;
beforeAll(async () => {
  doc = (await app.inject({ url: '/openapi.json' })).json();
});
afterAll(() => server.close());

interface OperationDoc {
  parameters: Array<{ name: string; in: string; required: boolean }>;
  requestBody: { content: Record<string, { schema: unknown }> };
  responses: Record<string, { content: Record<string, { schema: unknown }> }>;
}
const operationDoc = (path: string, method: string) => doc.paths[path]![method] as unknown as OperationDoc;

/** `METHOD /path/{param}` for every route the app serves, from Fastify's own route tree. */
function appRoutes(): string[] {
  const out: string[] = [];
  const stack: Array<{ depth: number; path: string }> = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^([│ ]*)[├└]── (\S+)(?: \(([^)]+)\))?/.exec(line.replace(/ {4}/g, '    '));
    if (!m) continue;
    const depth = m[1]!.length / 4;
    while (stack.length > depth) stack.pop();
    const path = (stack.at(-1)?.path ?? '') + m[2]!;
    stack.push({ depth, path });
    for (const method of (m[3] ?? '').split(', ').filter((x) => x && x !== 'HEAD')) {
      out.push(`${method} ${path.replace(/\/$/, '') || '/'}`);
    }
  }
  return out;
}

describe('the OpenAPI document', () => {
  it('validates against the OpenAPI 3.1 schema, and every $ref resolves', async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(doc));
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
    expect(() => validator.resolveRefs()).not.toThrow();
  });

  it('lists every route the app serves (EVERY_ROUTE_DOCUMENTED), and only those', () => {
    const served = appRoutes()
      .filter((r) => !INFRA_ROUTES.some((infra) => r.split(' ')[1]!.startsWith(infra)))
      .map((r) => r.replace(/:([a-zA-Z0-9_]+)/g, '{$1}'))
      .sort();
    const documented = Object.entries(doc.paths)
      .flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`))
      .sort();
    expect(served.length).toBeGreaterThan(5);
    expect(documented).toEqual(served);
  });

  it('uses operation names as operationIds and names component schemas after them', () => {
    const ids = Object.values(doc.paths).flatMap((methods) =>
      Object.values(methods).map((o) => o.operationId),
    );
    expect(ids.sort()).toEqual([
      'badOutput',
      'crash',
      'createItem',
      'deleteItem',
      'getItem',
      'renameItem',
      'slow',
      'sum',
    ]);
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining([
        'Problem',
        'Item',
        'CreateItemInput',
        'CreateItemOutput',
        'RenameItemBody',
        'GetItemOutput',
      ]),
    );
    const create = operationDoc('/items', 'post');
    expect(create.requestBody.content['application/json']!.schema).toEqual({
      $ref: '#/components/schemas/CreateItemInput',
    });
  });

  it('documents GET inputs as path and query parameters', () => {
    const get = operationDoc('/items/{id}', 'get');
    expect(get.parameters.map((p) => [p.name, p.in, p.required])).toEqual([
      ['id', 'path', true],
      ['verbose', 'query', false],
      ['limit', 'query', false],
    ]);
  });

  it('documents errors as application/problem+json referencing Problem', () => {
    const get = operationDoc('/items/{id}', 'get');
    for (const status of ['400', '413', '415', '503', 'default']) {
      expect(get.responses[status]!.content['application/problem+json']!.schema).toEqual({
        $ref: '#/components/schemas/Problem',
      });
    }
  });

  it('is the same document without a server, and matches the committed copy (regenerate with -u)', async () => {
    const generated = buildOpenApiDocument(createDemoService());
    expect(generated).toEqual(doc);
    await expect(`${JSON.stringify(generated, null, 2)}\n`).toMatchFileSnapshot(
      './fixtures/openapi.snapshot.json',
    );
  });

  it('serves interactive docs at /docs with local assets only (no CDN)', async () => {
    const page = await app.inject({ url: '/docs/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    const assets = [...page.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(assets.length).toBeGreaterThan(0);
    for (const asset of assets) expect(asset).not.toMatch(/^(https?:)?\/\//);
    const bundle = await app.inject({ url: '/docs/static/swagger-ui-bundle.js' });
    expect(bundle.statusCode).toBe(200);
  });
});
