/**
 * The gateway against a fixture service on the in-process bus (no database): what the
 * surfaces derive from descriptors alone — OpenAPI with hoisted $defs, GraphQL types,
 * MCP tools — and the edge policies: CORS, helmet, origins, drain, production config.
 */
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { createUserVerifier } from '@bosun/auth';
import {
  createInProcessTransport,
  type RpcServer,
  serveRpc,
  startHeartbeat,
  type Transport,
} from '@bosun/bus';
import { createLogger, createMetrics, defineService, isBosunError, loadConfig, operation } from '@bosun/core';
import { Validator } from '@seriousme/openapi-schema-validator';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { z } from 'zod';
import { createGateway, type GatewayComponent } from '../src/create-gateway.js';
import { gatewayEnv } from '../src/gateway-env.js';

// biome-ignore lint/suspicious/noExplicitAny: response bodies are read field by field; each test asserts the shape it reads.
type Body = any;

const log = createLogger({ service: 'test', instance: 'test', level: 'silent' });
const SECRET = 'a-test-secret-that-is-long-enough-for-hs256';

interface Node {
  name: string;
  children: Node[];
}
const TreeNode: z.ZodType<Node> = z.lazy(() => z.object({ name: z.string(), children: z.array(TreeNode) }));
const Address = z.object({ street: z.string(), zip: z.string().nullable() }).meta({ id: 'Address' });

const shop = defineService({
  name: 'shop',
  operations: {
    getOrder: operation({
      input: z.object({ id: z.string(), expand: z.stringbool().optional() }),
      output: z.object({
        id: z.string(),
        total: z.number(),
        count: z.number().int().min(0).max(1000),
        lines: z.array(z.object({ sku: z.string(), qty: z.number().int() })),
        shipTo: Address,
        billTo: Address.optional(),
        note: z.string().nullable(),
      }),
      http: 'GET /orders/:id',
      scope: 'shop:read',
      handler: ({ id }) => ({
        id,
        total: 9.5,
        count: 2,
        lines: [{ sku: 'a', qty: 2 }],
        shipTo: { street: 'Main', zip: null },
        note: null,
      }),
    }),
    tree: operation({
      input: z.object({ root: TreeNode }),
      output: TreeNode,
      http: 'POST /trees',
      public: true,
      handler: ({ root }) => root,
    }),
    search: operation({
      input: z.object({ q: z.string() }),
      output: z.array(z.string()),
      http: 'POST /search',
      public: true,
      graphql: { kind: 'query' },
      handler: ({ q }) => [q],
    }),
    secret: operation({
      input: z.object({}),
      output: z.object({}),
      http: 'GET /secret',
      graphql: false,
      mcp: false,
      handler: () => ({}),
    }),
    ping: operation({
      input: z.string(),
      output: z.string(),
      public: true,
      handler: (text) => `pong ${text}`,
    }),
  },
});

describe('the gateway derives every surface from heartbeats', () => {
  const root = `t_gwu_${randomBytes(3).toString('hex')}`;
  let transport: Transport;
  let rpc: RpcServer;
  let stopBeat: () => Promise<void>;
  let gw: GatewayComponent;
  const metrics = createMetrics({ service: 'gateway-test' });

  const token = (scopes: string[]) =>
    new SignJWT({ scope: scopes.join(' ') })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('u-1')
      .setIssuer('bosun-users')
      .setIssuedAt()
      .setExpirationTime('60s')
      .sign(new TextEncoder().encode(SECRET));

  beforeAll(async () => {
    transport = createInProcessTransport({ root });
    rpc = await serveRpc(transport, shop, { log });
    const beat = await startHeartbeat(transport, shop, { intervalMs: 60_000 });
    stopBeat = () => beat.stop();
    gw = createGateway({
      config: loadConfig(gatewayEnv, {
        PORT: '0',
        HOST: '127.0.0.1',
        BUS_SUBJECT_ROOT: root,
        CORS_ORIGINS: 'https://console.example.com',
        LOG_LEVEL: 'silent',
      }),
      transport,
      log,
      userVerifier: createUserVerifier({ secret: SECRET, issuer: 'bosun-users' }),
      metricsRegistry: metrics.registry,
    });
    await gw.start!(new AbortController().signal);
    for (let i = 0; i < 200 && gw.catalog!.entries().length === 0; i++)
      await new Promise((r) => setTimeout(r, 20));
  });

  afterAll(async () => {
    await gw?.stop?.(new AbortController().signal);
    await stopBeat?.();
    await rpc?.close();
    await transport?.close();
  });

  test('the merged OpenAPI document hoists $defs (named and recursive) and validates as 3.1', async () => {
    const doc = (await (await fetch(`${gw.url}/openapi.json`)).json()) as Body;
    const result = await new Validator().validate(structuredClone(doc));
    expect(result.errors).toBeUndefined();
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/api/shop/orders/{id}',
      '/api/shop/search',
      '/api/shop/secret',
      '/api/shop/trees',
    ]);
    const text = JSON.stringify(doc);
    expect(text).not.toContain('#/$defs/');
    for (const ref of text.match(/#\/components\/schemas\/[^"]+/g) ?? []) {
      expect(doc.components.schemas[ref.slice('#/components/schemas/'.length)], ref).toBeDefined();
    }
    const get = doc.paths['/api/shop/orders/{id}'].get;
    expect(get.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`)).toEqual([
      'path:id',
      'query:expand',
    ]);
  });

  test('GraphQL types follow the output schema: nested objects, lists, nullability, ranged ints', async () => {
    const query = `{ __type(name: "ShopGetOrderOutput") { fields { name type { kind name ofType { kind name } } } } }`;
    const res = await fetch(`${gw.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
    });
    const fields = Object.fromEntries(
      ((await res.json()) as Body).data.__type.fields.map((f: Body) => [f.name, f.type]),
    );
    expect(fields.id).toEqual({ kind: 'NON_NULL', name: null, ofType: { kind: 'SCALAR', name: 'String' } });
    expect(fields.count.ofType.name).toBe('Int');
    expect(fields.total.ofType.name).toBe('Float');
    expect(fields.lines.ofType.kind).toBe('LIST');
    expect(fields.shipTo.ofType.kind).toBe('OBJECT');
    expect(fields.billTo).toMatchObject({ kind: 'OBJECT' });
    expect(fields.note).toEqual({ kind: 'SCALAR', name: 'String', ofType: null });

    const order = await fetch(`${gw.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await token(['shop:read'])}` },
      body: JSON.stringify({
        query: '{ shop_getOrder(id: "o-1") { id count lines { sku qty } shipTo { zip } } }',
      }),
    });
    expect(await order.json()).toEqual({
      data: { shop_getOrder: { id: 'o-1', count: 2, lines: [{ sku: 'a', qty: 2 }], shipTo: { zip: null } } },
    });
    // An input that is not an object is one `input: JSON` argument.
    const ping = await fetch(`${gw.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'mutation { shop_ping(input: "x") }' }),
    });
    expect(await ping.json()).toEqual({ data: { shop_ping: 'pong x' } });
  });

  test('GraphQL puts GET operations on Query, others on Mutation, unless the operation says otherwise', async () => {
    const res = await fetch(`${gw.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: '{ __schema { queryType { fields { name } } mutationType { fields { name } } } }',
      }),
    });
    const schema = ((await res.json()) as Body).data.__schema;
    const names = (t: Body) => t.fields.map((f: Body) => f.name).sort();
    expect(names(schema.queryType)).toEqual(['_catalogRevision', 'shop_getOrder', 'shop_search']);
    expect(names(schema.mutationType)).toEqual(['shop_ping', 'shop_tree']);
  });

  test('CORS answers only the configured origins; helmet headers are on every response', async () => {
    const allowed = await fetch(`${gw.url}/openapi.json`, {
      headers: { origin: 'https://console.example.com' },
    });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://console.example.com');
    const other = await fetch(`${gw.url}/openapi.json`, { headers: { origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    expect(allowed.headers.get('x-content-type-options')).toBe('nosniff');
    const csp = allowed.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    // Over plain http (development) an upgrade would send /docs' own assets to https.
    expect(csp).not.toContain('upgrade-insecure-requests');
  });

  test('MCP refuses a browser origin that is not configured (ORIGIN_IS_CHECKED)', async () => {
    const res = await fetch(`${gw.url}/mcp`, {
      method: 'POST',
      headers: {
        origin: 'https://evil.example',
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { code: string }).code).toBe('BOSUN_MCP_ORIGIN_FORBIDDEN');
  });

  test('an unknown /api route is BOSUN_HTTP_ROUTE_NOT_FOUND as problem+json', async () => {
    const res = await fetch(`${gw.url}/api/shop/nothing`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(((await res.json()) as { code: string }).code).toBe('BOSUN_HTTP_ROUTE_NOT_FOUND');
  });

  test('a service that starts later appears on every surface, and leaves with its goodbye', async () => {
    const late = defineService({
      name: 'late',
      operations: {
        hello: operation({
          input: z.object({ name: z.string() }),
          output: z.object({ text: z.string() }),
          http: 'POST /hello',
          public: true,
          handler: ({ name }) => ({ text: `hi ${name}` }),
        }),
      },
    });
    const server = await serveRpc(transport, late, { log });
    const beat = await startHeartbeat(transport, late, { intervalMs: 60_000 });
    try {
      await expect.poll(() => gw.catalog!.entries().some((e) => e.service === 'late')).toBe(true);
      const res = await fetch(`${gw.url}/api/late/hello`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Ada' }),
      });
      expect(await res.json()).toEqual({ text: 'hi Ada' });
      const gql = await fetch(`${gw.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: 'mutation { late_hello(name: "Bo") { text } }' }),
      });
      expect(await gql.json()).toEqual({ data: { late_hello: { text: 'hi Bo' } } });
    } finally {
      await beat.stop();
      await server.close();
    }
    await expect.poll(() => gw.catalog!.entries().some((e) => e.service === 'late')).toBe(false);
    expect((await fetch(`${gw.url}/api/late/hello`, { method: 'POST' })).status).toBe(404);
  });

  test('with awaitServices, start resolves only once those services are routable (NEIGHBOURS_ROUTABLE_WHEN_READY), or after the bound', async () => {
    // A bus of its own, so no other gateway's probe is in shop's throttle window there.
    const own = `${root}_await`;
    const bus = createInProcessTransport({ root: own });
    const server = await serveRpc(bus, shop, { log });
    const beat = await startHeartbeat(bus, shop, { intervalMs: 60_000 });
    const config = loadConfig(gatewayEnv, {
      PORT: '0',
      HOST: '127.0.0.1',
      BUS_SUBJECT_ROOT: own,
      LOG_LEVEL: 'silent',
    });
    const userVerifier = createUserVerifier({ secret: SECRET, issuer: 'bosun-users' });
    const warnings: string[] = [];
    const stream = new Writable({
      write(chunk, _encoding, callback) {
        warnings.push(String(chunk));
        callback();
      },
    });
    const recording = createLogger({ service: 'test', instance: 'test', level: 'warn', stream });
    const neighbour = createGateway({
      config,
      transport: bus,
      log: recording,
      userVerifier,
      awaitServices: ['shop'],
    });
    const waiting = createGateway({
      config,
      transport: bus,
      log: recording,
      userVerifier,
      awaitServices: ['shop', 'ghost'],
      awaitServicesTimeoutMs: 300,
    });
    try {
      // ghost never beats: start() gives up after the bound, saying which service it missed.
      await waiting.start!(new AbortController().signal);
      expect(waiting.catalog!.entries().some((e) => e.service === 'shop')).toBe(true);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/"missing":\["ghost"\]/);

      // No polling: shop's answer to this gateway's probe is in before start() returned.
      await neighbour.start!(new AbortController().signal);
      expect(neighbour.catalog!.entries().some((e) => e.service === 'shop')).toBe(true);
      expect(warnings).toHaveLength(1);
    } finally {
      await waiting.stop!(new AbortController().signal);
      await neighbour.stop!(new AbortController().signal);
      await beat.stop();
      await server.close();
      await bus.close();
    }
  });

  test('request metrics are labelled by route template, never by the raw URL', async () => {
    const res = await fetch(`${gw.url}/api/shop/orders/o-7?expand=true`, {
      headers: { authorization: `Bearer ${await token(['shop:read'])}` },
    });
    expect(((await res.json()) as Body).id).toBe('o-7');
    const text = await metrics.render();
    expect(text).toContain('route="/api/shop/orders/:id"');
    expect(text).toContain('route="unmatched"');
    expect(text).not.toContain('/api/shop/orders/o-');
    expect(text).not.toContain('/api/shop/nothing');
  });

  test('in production the gateway config is refused without GATEWAY_SERVICES, listed with every other bad variable', () => {
    const error = (() => {
      try {
        loadConfig(gatewayEnv, { PORT: 'x', NODE_ENV: 'production', BUS_SUBJECT_ROOT: root });
      } catch (e) {
        return e;
      }
    })();
    expect(isBosunError(error, 'BOSUN_CONFIG_INVALID')).toBe(true);
    expect((error as Error).message).toContain('GATEWAY_SERVICES: missing');
    expect((error as Error).message).toContain('PORT: invalid');
    expect(() =>
      loadConfig(gatewayEnv, { NODE_ENV: 'production', GATEWAY_SERVICES: 'users', BUS_SUBJECT_ROOT: root }),
    ).not.toThrow();
  });

  test('once draining, new requests get 503 BOSUN_UNAVAILABLE', async () => {
    await gw.drain!(new AbortController().signal);
    const res = await fetch(`${gw.url}/openapi.json`);
    expect(res.status).toBe(503);
    expect(((await res.json()) as { code: string }).code).toBe('BOSUN_UNAVAILABLE');
  });
});
