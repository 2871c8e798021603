/**
 * The production topology: the users service and the gateway as separate processes
 * (their own src/main.ts) talking over a real NATS, users on a real PostgreSQL. The user
 * reaches users only inside the gateway's signed service token (USER_RIDES_IN_THE_TOKEN).
 */
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createClient, createNatsTransport, type HeartbeatMessage, type Transport } from '@bosun/bus';
import { isBosunError } from '@bosun/core';
import { describeWithNats, natsUrl, spawnService, useTestDatabase } from '@bosun/testing';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { codeOf, gatewayClient } from './gateway-client.js';

const usersEntry = fileURLToPath(new URL('../../../services/users/src/main.ts', import.meta.url));
const gatewayEntry = fileURLToPath(new URL('../../../services/gateway/src/main.ts', import.meta.url));
const encodeJson = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

describeWithNats('the gateway and users as separate processes over NATS', () => {
  const db = useTestDatabase({ label: 'gateway_nats' });
  const root = `t_gwn_${randomBytes(3).toString('hex')}`;
  let bus: Transport;

  beforeAll(async () => {
    bus = await createNatsTransport({ servers: natsUrl()!, root, name: 'gateway-test' });
  });

  afterAll(async () => {
    await bus?.close();
    const nc = await connect({ servers: natsUrl()! });
    const jsm = await jetstreamManager(nc);
    for (const name of [`${root.toUpperCase()}_EVENTS`, `${root.toUpperCase()}_DLQ`]) {
      await jsm.streams.delete(name).catch(() => {});
    }
    await nc.close();
  });

  test('sign-up, log-in and getUser through REST, GraphQL and MCP; user checks happen in users; forgeries fail', async () => {
    const env = {
      NATS_URL: natsUrl()!,
      BUS_SUBJECT_ROOT: root,
      PORT: '0',
      HEALTH_PORT: '0',
      HOST: '127.0.0.1',
      HEARTBEAT_INTERVAL_MS: '500',
      LOG_LEVEL: 'info',
    };
    const usersProc = spawnService({
      entry: usersEntry,
      env: { ...env, DATABASE_URL: db.url, USERS_SCRYPT_LOG_N: '15' },
    });
    await usersProc.waitForLine(/"msg":"serving"/, 30_000);
    const gatewayProc = spawnService({ entry: gatewayEntry, env });
    const serving = JSON.parse(await gatewayProc.waitForLine(/"msg":"serving"/, 30_000)) as {
      http: string[];
    };
    const client = gatewayClient(serving.http[0]!);

    // users learns the gateway's development key from its heartbeat; until then it refuses the token.
    const email = 'ada@example.com';
    const password = `pw-${randomBytes(6).toString('hex')}-long`;
    let created = await client.rest('POST', '/api/users/users', { email, password, name: 'Ada' });
    for (let i = 0; i < 100 && created.status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 100));
      created = await client.rest('POST', '/api/users/users', { email, password, name: 'Ada' });
    }
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    const session = await client.rest('POST', '/api/users/sessions', { email, password });
    expect(session.status, JSON.stringify(session.body)).toBe(200);
    const token = session.body.accessToken as string;
    const id = created.body.id as string;

    const rest = await client.restOutcome('GET', `/api/users/users/${id}`, undefined, token);
    const graphql = await client.graphqlOutcome(
      `{ users_getUser(id: "${id}") { id email name scopes createdAt updatedAt } }`,
      'users_getUser',
      token,
    );
    const mcp = await client.mcp(token);
    const tool = await client.toolOutcome(mcp, 'users_getUser', { id });
    expect(rest).toMatchObject({ ok: true, data: { id, email } });
    expect(graphql).toEqual(rest);
    expect(tool).toEqual(rest);

    // The user travelled in the token: users itself refuses another account (SELF_OR_ADMIN).
    const other = await client.rest('POST', '/api/users/users', {
      email: 'bob@example.com',
      password: `pw-${randomBytes(6).toString('hex')}-long`,
      name: 'Bob',
    });
    const foreign = await client.restOutcome('GET', `/api/users/users/${other.body.id}`, undefined, token);
    expect(codeOf(foreign)).toBe('BOSUN_FORBIDDEN 403');
    expect(foreign.ok ? '' : foreign.detail).toContain('only their own account');

    // Same codes for a bad input and for no token, on every surface.
    const bad = [
      await client.restOutcome('GET', '/api/users/users/nope', undefined, token),
      await client.graphqlOutcome('{ users_getUser(id: "nope") { id } }', 'users_getUser', token),
      await client.toolOutcome(mcp, 'users_getUser', { id: 'nope' }),
    ];
    expect(bad.map(codeOf)).toEqual(Array(3).fill('BOSUN_VALIDATION_FAILED 400'));
    await mcp.close();
    const anonymous = await client.mcp();
    const noToken = [
      await client.restOutcome('GET', `/api/users/users/${id}`),
      await client.graphqlOutcome(`{ users_getUser(id: "${id}") { id } }`, 'users_getUser'),
      await client.toolOutcome(anonymous, 'users_getUser', { id }),
    ];
    await anonymous.close();
    expect(noToken.map(codeOf)).toEqual(Array(3).fill('BOSUN_UNAUTHENTICATED 401'));
    expect(codeOf(await client.restOutcome('GET', '/api/users/users', undefined, token))).toBe(
      'BOSUN_FORBIDDEN 403',
    );

    // A caller on the bus cannot claim a user with the in-process header: over NATS only a token counts.
    const direct = createClient(bus, 'users');
    const headerOnly = await direct
      .$call(
        'getUser',
        { id },
        {
          headers: {
            'x-bosun-on-behalf-of': JSON.stringify({ edge: 'http', user: { id, scopes: ['users:admin'] } }),
          },
        },
      )
      .catch((e: unknown) => e);
    expect(isBosunError(headerOnly, 'BOSUN_AUTH_TOKEN_MISSING')).toBe(true);

    // A forged heartbeat marks listUsers public; the gateway forwards, users refuses (EDGE_ACCESS_IS_RECHECKED).
    const real = JSON.parse(
      await new Promise<string>((resolve) => {
        void bus.subscribe(bus.subjects.heartbeat, (m) => {
          const text = new TextDecoder().decode(m.data);
          if (text.includes('"service":"users"')) resolve(text);
        });
      }),
    ) as HeartbeatMessage;
    const forged: HeartbeatMessage = {
      ...real,
      instance: 'forged',
      operations: real.operations.map((op) =>
        op.name === 'listUsers' ? { ...op, public: true, scope: undefined } : op,
      ),
    };
    // Keep forging (users beats every 500 ms) until the gateway's document shows listUsers as public.
    const forging = setInterval(
      () =>
        void bus.publish(bus.subjects.heartbeat, encodeJson({ ...forged, sentAt: new Date().toISOString() })),
      20,
    );
    try {
      const isPublic = async () => {
        const doc = (await client.rest('GET', '/openapi.json')).body;
        return JSON.stringify(doc.paths['/api/users/users']?.get?.security) === '[]';
      };
      let believed = await isPublic();
      for (let i = 0; i < 100 && !believed; i++) believed = await isPublic();
      expect(believed).toBe(true);
      const listed = await client.restOutcome('GET', '/api/users/users');
      expect(codeOf(listed)).toBe('BOSUN_UNAUTHENTICATED 401');
    } finally {
      clearInterval(forging);
    }
    await bus.publish(bus.subjects.heartbeat, encodeJson({ ...forged, kind: 'goodbye' }));

    gatewayProc.kill('SIGTERM');
    usersProc.kill('SIGTERM');
    expect((await gatewayProc.exited).code).toBe(0);
    expect((await usersProc.exited).code).toBe(0);
  });
});
