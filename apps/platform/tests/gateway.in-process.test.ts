/**
 * The gateway in front of the real users service, in one process over the in-process bus
 * (the `npm start` topology): users runs through @bosun/runtime's createApp on a real
 * PostgreSQL, the gateway learns its operations from registry heartbeats only.
 */
import { randomBytes } from 'node:crypto';
import type { HeartbeatMessage } from '@bosun/bus';
import { createLogger, loadConfig } from '@bosun/core';
import { type App, createApp, loadAppConfig } from '@bosun/runtime';
import { createGateway, type GatewayComponent, gatewayEnv } from '@bosun/service-gateway';
import { users } from '@bosun/service-users';
import { useTestDatabase } from '@bosun/testing';
import { Validator } from '@seriousme/openapi-schema-validator';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Body, codeOf, gatewayClient } from './gateway-client.js';

const log = createLogger({ service: 'test', instance: 'test', level: 'silent' });
const root = `t_gw_${randomBytes(3).toString('hex')}`;
const MISSING = '00000000-0000-4000-8000-000000000000';
async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((r) => setTimeout(r, 20));
  if (!condition()) throw new Error('the gateway never heard of the users service');
}
const encodeJson = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

describe('the gateway over the in-process bus', () => {
  const db = useTestDatabase({ label: 'gateway_inproc' });
  let app: App;
  let gw: GatewayComponent;
  let strict: GatewayComponent;
  let client: ReturnType<typeof gatewayClient>;

  const gatewayConfig = (extra: Record<string, string> = {}) =>
    loadConfig(gatewayEnv, {
      PORT: '0',
      HOST: '127.0.0.1',
      BUS_SUBJECT_ROOT: root,
      HEARTBEAT_INTERVAL_MS: '60000',
      LOG_LEVEL: 'silent',
      ...extra,
    });

  beforeAll(async () => {
    const config = loadAppConfig([users], {
      DATABASE_URL: db.url,
      PORT: '0',
      HEALTH_PORT: '0',
      HOST: '127.0.0.1',
      USERS_SCRYPT_LOG_N: '15',
      BUS_SUBJECT_ROOT: root,
      // Long on purpose: the gateway learns users from its start-up probe, not from the interval.
      HEARTBEAT_INTERVAL_MS: '60000',
      LOG_LEVEL: 'silent',
    });
    app = await createApp({ services: [users], config, log });
    await app.start();
    gw = createGateway({ config: gatewayConfig(), transport: () => app.bus.transport, log });
    await gw.start!(new AbortController().signal);
    strict = createGateway({
      config: gatewayConfig({ NODE_ENV: 'production', GATEWAY_SERVICES: 'users', RATE_LIMIT_MAX: '5' }),
      transport: () => app.bus.transport,
      log,
    });
    await strict.start!(new AbortController().signal);
    client = gatewayClient(gw.url!);
    await until(() => gw.catalog!.entries().length > 0 && strict.catalog!.entries().length > 0);
  });

  afterAll(async () => {
    await strict?.stop?.(new AbortController().signal);
    await gw?.stop?.(new AbortController().signal);
    await app?.stop();
  });

  async function signUpAndLogIn(email: string): Promise<{ id: string; token: string }> {
    const password = `pw-${randomBytes(6).toString('hex')}-long`;
    const created = await client.rest('POST', '/api/users/users', { email, password, name: 'Ada' });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    const session = await client.rest('POST', '/api/users/sessions', { email, password });
    expect(session.status, JSON.stringify(session.body)).toBe(200);
    return { id: created.body.id, token: session.body.accessToken };
  }

  async function getUserEverywhere(id: string, token?: string) {
    const mcp = await client.mcp(token);
    try {
      return {
        rest: await client.restOutcome('GET', `/api/users/users/${id}`, undefined, token),
        graphql: await client.graphqlOutcome(
          `{ users_getUser(id: ${JSON.stringify(id)}) { id email name scopes createdAt } }`,
          'users_getUser',
          token,
        ),
        mcp: await client.toolOutcome(mcp, 'users_getUser', { id }),
      };
    } finally {
      await mcp.close();
    }
  }

  test('sign-up and log-in through /api, then getUser answers the same user on REST, GraphQL and MCP', async () => {
    const { id, token } = await signUpAndLogIn('ada@example.com');
    const got = await getUserEverywhere(id, token);
    expect(got.rest).toMatchObject({ ok: true, data: { id, email: 'ada@example.com', name: 'Ada' } });
    const data = (got.rest as { data: Body }).data;
    expect(got.graphql).toEqual({
      ok: true,
      data: { id, email: data.email, name: data.name, scopes: data.scopes, createdAt: data.createdAt },
    });
    expect(got.mcp).toEqual({ ok: true, data });
  });

  test('a bad input carries the same code on every surface', async () => {
    const { token } = await signUpAndLogIn('alan@example.com');
    const bad = await getUserEverywhere('not-a-uuid', token);
    expect(Object.values(bad).map(codeOf)).toEqual(Array(3).fill('BOSUN_VALIDATION_FAILED 400'));
  });

  test('an admin asking for a user that does not exist gets USERS_NOT_FOUND on every surface', async () => {
    const email = 'edsger@example.com';
    const password = `pw-${randomBytes(6).toString('hex')}-long`;
    const created = await client.rest('POST', '/api/users/users', { email, password, name: 'Edsger' });
    const pool = new pg.Pool({ connectionString: db.url, max: 1 });
    await pool.query(`UPDATE users.users SET scopes = scopes || ARRAY['users:admin'] WHERE id = $1`, [
      created.body.id,
    ]);
    await pool.end();
    const session = await client.rest('POST', '/api/users/sessions', { email, password });
    const missing = await getUserEverywhere(MISSING, session.body.accessToken);
    expect(Object.values(missing).map(codeOf)).toEqual(Array(3).fill('USERS_NOT_FOUND 404'));
  });

  test('the user reaches the callee: reading another account is refused by users itself (SELF_OR_ADMIN)', async () => {
    const a = await signUpAndLogIn('barbara@example.com');
    const b = await signUpAndLogIn('john@example.com');
    const other = await getUserEverywhere(b.id, a.token);
    for (const outcome of Object.values(other)) {
      expect(codeOf(outcome)).toBe('BOSUN_FORBIDDEN 403');
      expect(outcome.ok ? '' : outcome.detail).toContain('only their own account');
    }
  });

  test('no token is a coded 401, a bad token 401, a missing scope 403 — the same on every surface', async () => {
    const { id, token } = await signUpAndLogIn('ken@example.com');
    expect(Object.values(await getUserEverywhere(id)).map(codeOf)).toEqual(
      Array(3).fill('BOSUN_UNAUTHENTICATED 401'),
    );
    const noToken = await client.rest('GET', `/api/users/users/${id}`);
    expect(noToken.headers.get('www-authenticate')).toBe('Bearer');
    expect(Object.values(await getUserEverywhere(id, `${token}x`)).map(codeOf)).toEqual(
      Array(3).fill('BOSUN_AUTH_TOKEN_INVALID 401'),
    );
    const mcp = await client.mcp(token);
    const listed = {
      rest: await client.restOutcome('GET', '/api/users/users', undefined, token),
      graphql: await client.graphqlOutcome('{ users_listUsers { items { id } } }', 'users_listUsers', token),
      mcp: await client.toolOutcome(mcp, 'users_listUsers', {}),
    };
    await mcp.close();
    expect(Object.values(listed).map(codeOf)).toEqual(Array(3).fill('BOSUN_FORBIDDEN 403'));
  });

  test('MCP lists every service tool prefixed by its service, live from the registry', async () => {
    const mcp = await client.mcp();
    const { tools } = await mcp.listTools();
    await mcp.close();
    const names = tools.map((t) => t.name).sort();
    expect(names).toEqual([
      'users_changePassword',
      'users_getUser',
      'users_listUsers',
      'users_logIn',
      'users_refresh',
      'users_signUp',
      'users_updateUser',
    ]);
    expect(tools.find((t) => t.name === 'users_getUser')?.annotations?.readOnlyHint).toBe(true);
  });

  test('one merged OpenAPI 3.1 document validates and lists every /api route; /docs is served locally', async () => {
    const doc = (await client.rest('GET', '/openapi.json')).body;
    const result = await new Validator().validate(structuredClone(doc));
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(Object.keys(doc.paths).sort()).toEqual([
      '/api/users/.well-known/jwks.json',
      '/api/users/sessions',
      '/api/users/sessions/refresh',
      '/api/users/users',
      '/api/users/users/{id}',
      '/api/users/users/{id}/password',
    ]);
    expect(doc.paths['/api/users/users/{id}'].get.security).toEqual([{ bearerAuth: ['users:read'] }]);
    expect(doc.paths['/api/users/users'].post.security).toEqual([]);
    const docs = await fetch(`${gw.url}/docs/`);
    expect(docs.status).toBe(200);
    const html = await docs.text();
    expect(html).toContain('swagger-ui-bundle.js');
    expect(html).not.toMatch(/https?:\/\//);
    const live = await fetch(`${gw.url}/docs/json`);
    expect(Object.keys(((await live.json()) as Body).paths)).toContain('/api/users/users/{id}');
  });

  test('past RATE_LIMIT_MAX requests a client gets 429 BOSUN_RATE_LIMITED', async () => {
    const strictClient = gatewayClient(strict.url!);
    const statuses: number[] = [];
    let last: Body;
    for (let i = 0; i < 7; i++) {
      const res = await strictClient.rest('GET', '/openapi.json');
      statuses.push(res.status);
      last = res;
    }
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    expect(last.body).toMatchObject({ code: 'BOSUN_RATE_LIMITED', status: 429 });
    expect(last.headers.get('retry-after')).toBeTruthy();
  });

  test('a forged heartbeat cannot widen access: the callee re-checks its own definition', async () => {
    const real = app.bus.transport;
    const entry = gw.catalog!.entries().find((e) => e.operation === 'listUsers')!;
    const forged: HeartbeatMessage = {
      v: 1,
      kind: 'heartbeat',
      service: 'users',
      version: '6.6.6',
      instance: 'forged',
      host: 'attacker',
      ports: {},
      operations: gw
        .catalog!.entries()
        .filter((e) => e.service === 'users')
        .map((e) => e.descriptor)
        .map((d) =>
          d.name === 'listUsers'
            ? { ...d, public: true, scope: undefined }
            : d.name === 'jwks'
              ? { ...d, mcp: {} }
              : d,
        ),
      health: 'ok',
      startedAt: new Date().toISOString(),
      sentAt: new Date().toISOString(),
    };
    const evil: HeartbeatMessage = {
      ...forged,
      service: 'evil',
      operations: [{ ...entry.descriptor, name: 'steal', http: 'GET /all', public: true }],
    };
    await real.publish(real.subjects.heartbeat, encodeJson(forged));
    await real.publish(real.subjects.heartbeat, encodeJson(evil));
    await expect
      .poll(() => gw.catalog!.entries().find((e) => e.operation === 'listUsers')?.descriptor.public)
      .toBe(true);
    await expect.poll(() => gw.catalog!.entries().some((e) => e.service === 'evil')).toBe(true);

    // The gateway believes the forgery and forwards without a user; users refuses.
    const listed = await client.restOutcome('GET', '/api/users/users');
    expect(codeOf(listed)).toBe('BOSUN_UNAUTHENTICATED 401');
    const mcp = await client.mcp();
    const jwks = await client.toolOutcome(mcp, 'users_jwks', {});
    await mcp.close();
    expect(codeOf(jwks)).toBe('BOSUN_OPERATION_NOT_FOUND 404');

    // With GATEWAY_SERVICES (required in production) an unlisted service adds nothing.
    // (Its rate limit was used up above, so the catalog is read directly.)
    expect(strict.catalog!.entries().some((e) => e.service === 'evil')).toBe(false);
    expect(strict.catalog!.entries().some((e) => e.service === 'users')).toBe(true);

    await real.publish(real.subjects.heartbeat, encodeJson({ ...forged, kind: 'goodbye' }));
    await real.publish(real.subjects.heartbeat, encodeJson({ ...evil, kind: 'goodbye' }));
    await expect.poll(() => gw.catalog!.entries().some((e) => e.service === 'evil')).toBe(false);
  });

  test('routes disappear when the service says goodbye', async () => {
    await app.stop();
    await expect.poll(() => gw.catalog!.entries().filter((e) => e.service === 'users').length).toBe(0);
    const gone = await client.rest('GET', `/api/users/users/${MISSING}`);
    expect(gone.status).toBe(404);
    expect(gone.body.code).toBe('BOSUN_HTTP_ROUTE_NOT_FOUND');
    const doc = (await client.rest('GET', '/openapi.json')).body;
    expect(Object.keys(doc.paths).filter((p) => p.startsWith('/api/users'))).toEqual([]);
  });
});
