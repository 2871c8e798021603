/**
 * Calls on behalf of the public edge (the gateway): EDGE_ACCESS_IS_RECHECKED against the
 * callee's own definition, ON_BEHALF_OF_HEADER_IS_LOCAL, and the edge descriptors and probe
 * of registry heartbeats.
 */
import { type Caller, defineService, isBosunError, operation } from '@bosun/core';
import { afterEach, describe, expect, test } from 'vitest';
import { z } from 'zod';
import { encodeRequest, unwrapReply } from '../src/envelope.js';
import { createInProcessBroker } from '../src/in-process.broker.js';
import { createInProcessTransport } from '../src/in-process.transport.js';
import { createNatsTransport } from '../src/nats.transport.js';
import { describeOperations, startHeartbeat } from '../src/registry-heartbeat.js';
import { createRegistryView } from '../src/registry-view.js';
import { createClient } from '../src/rpc-client.js';
import { serveRpc } from '../src/rpc-server.js';
import { randomRoot, silentLog } from './support/fixtures.js';
import { natsUrl, skipNats } from './support/nats.js';

const seen: Caller[] = [];
const accounts = defineService({
  name: 'accounts',
  operations: {
    open: operation({
      input: z.object({}),
      output: z.object({ ok: z.boolean() }),
      http: 'POST /accounts',
      public: true,
      handler: (_i, ctx) => {
        seen.push(ctx.caller);
        return { ok: true };
      },
    }),
    read: operation({
      input: z.object({ id: z.string() }),
      output: z.object({ ok: z.boolean() }),
      http: 'GET /accounts/:id',
      scope: 'accounts:read',
      idempotent: true,
      mcp: { name: 'readAccount', annotations: { openWorldHint: true } },
      handler: (_i, ctx) => {
        seen.push(ctx.caller);
        return { ok: true };
      },
    }),
    internal: operation({
      input: z.object({}),
      output: z.object({ ok: z.boolean() }),
      mcp: false,
      graphql: false,
      handler: () => ({ ok: true }),
    }),
  },
});

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'OK',
    (e: unknown) => (isBosunError(e) ? `${e.code} ${e.status}` : String(e)),
  );

describe('edge calls over the in-process transport', () => {
  const open: Array<{ close(): Promise<void> }> = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((o) => o.close()));
    seen.length = 0;
  });

  async function setUp() {
    const broker = createInProcessBroker();
    const root = randomRoot();
    const server = createInProcessTransport({ broker, root });
    const caller = createInProcessTransport({ broker, root });
    open.push(server, caller);
    open.push(await serveRpc(server, accounts, { log: silentLog }));
    return createClient(caller, 'accounts');
  }

  test('the callee sees the edge and the user, and applies its own public and scope', async () => {
    const client = await setUp();
    const reader = { id: 'u-1', scopes: ['accounts:read'] };
    expect(
      await codeOf(client.$call('read', { id: 'a' }, { onBehalfOf: { edge: 'http', user: reader } })),
    ).toBe('OK');
    expect(seen.at(-1)).toEqual({ edge: 'http', user: reader });
    expect(await codeOf(client.$call('open', {}, { onBehalfOf: { edge: 'http' } }))).toBe('OK');
    expect(await codeOf(client.$call('read', { id: 'a' }, { onBehalfOf: { edge: 'graphql' } }))).toBe(
      'BOSUN_UNAUTHENTICATED 401',
    );
    const stranger = { id: 'u-2', scopes: ['other'] };
    expect(
      await codeOf(client.$call('read', { id: 'a' }, { onBehalfOf: { edge: 'mcp', user: stranger } })),
    ).toBe('BOSUN_FORBIDDEN 403');
  });

  test('an operation not exposed on the edge surface is not found for an edge call, yet callable service to service', async () => {
    const client = await setUp();
    const admin = { id: 'u-1', scopes: ['accounts:read'] };
    expect(await codeOf(client.$call('internal', {}, { onBehalfOf: { edge: 'mcp', user: admin } }))).toBe(
      'BOSUN_OPERATION_NOT_FOUND 404',
    );
    expect(await codeOf(client.$call('internal', {}, { onBehalfOf: { edge: 'http', user: admin } }))).toBe(
      'BOSUN_OPERATION_NOT_FOUND 404',
    );
    expect(await codeOf(client.$call('internal', {}))).toBe('OK');
  });
});

describe.skipIf(skipNats)('edge calls over NATS', () => {
  test('the on-behalf-of header is ignored over NATS: without a token the caller is nobody', async () => {
    const root = randomRoot();
    const server = await createNatsTransport({ servers: natsUrl ?? '', root });
    const caller = await createNatsTransport({ servers: natsUrl ?? '', root });
    const rpc = await serveRpc(server, accounts, { log: silentLog });
    try {
      const forgedHeader = JSON.stringify({ edge: 'http', user: { id: 'admin', scopes: ['accounts:read'] } });
      // Sent raw (the client never sends this header over NATS): the server does not read it.
      const reply = await caller.request(
        caller.subjects.rpc('accounts', 'read'),
        encodeRequest({ id: 'a' }),
        {
          timeoutMs: 5000,
          headers: { 'x-bosun-on-behalf-of': forgedHeader },
        },
      );
      expect(unwrapReply(reply.data)).toEqual({ ok: true });
      // Without a token provider, onBehalfOf adds nothing on the wire either.
      const client = createClient(caller, 'accounts');
      const onBehalfOf = { edge: 'http' as const, user: { id: 'x', scopes: [] } };
      expect(await codeOf(client.$call('read', { id: 'a' }, { onBehalfOf }))).toBe('OK');
      expect(seen.slice(-2)).toEqual([{}, {}]);
    } finally {
      await rpc.close();
      await Promise.all([server.close(), caller.close()]);
      seen.length = 0;
    }
  });
});

test('heartbeats describe each operation for the edge: route, scope, public, GraphQL kind, MCP tool', () => {
  const [open, read, internal] = describeOperations(accounts);
  expect(open).toMatchObject({ name: 'open', http: 'POST /accounts', public: true, graphql: 'mutation' });
  expect(open).not.toHaveProperty('mcp');
  expect(read).toMatchObject({
    name: 'read',
    http: 'GET /accounts/:id',
    scope: 'accounts:read',
    idempotent: true,
    graphql: 'query',
    mcp: { name: 'readAccount', annotations: { openWorldHint: true } },
  });
  expect(internal).toMatchObject({ name: 'internal', graphql: false, mcp: false });
  expect(internal).not.toHaveProperty('http');
});

test('probes inside the throttle window are answered once when it ends, not dropped (PROBES_ARE_COALESCED_NOT_DROPPED)', async () => {
  const broker = createInProcessBroker();
  const root = randomRoot();
  const a = createInProcessTransport({ broker, root });
  const heartbeat = await startHeartbeat(a, accounts, { instance: 'a1', intervalMs: 60_000 });
  const first = await createRegistryView(createInProcessTransport({ broker, root }));
  const beats: string[] = [];
  first.onHeartbeat((m) => beats.push(m.kind));
  try {
    await first.probe();
    await expect.poll(() => beats).toEqual(['heartbeat']);
    // A second view starts inside the window (a second gateway replica): it hears the instance
    // within the window, not an interval (here 60 s) later; a flood of probes adds one beat only.
    const second = await createRegistryView(createInProcessTransport({ broker, root }));
    for (let i = 0; i < 5; i++) await second.probe();
    await expect.poll(() => second.service('accounts')?.live, { timeout: 5000 }).toBe(1);
    expect(beats).toEqual(['heartbeat', 'heartbeat']);
    await second.close();
  } finally {
    await heartbeat.stop();
    await first.close();
    await a.close();
  }
});

test('a probe makes instances beat at once, at most once per throttle window', async () => {
  const broker = createInProcessBroker();
  const root = randomRoot();
  const a = createInProcessTransport({ broker, root });
  const viewer = createInProcessTransport({ broker, root });
  const beats: string[] = [];
  const heartbeat = await startHeartbeat(a, accounts, { instance: 'a1', intervalMs: 60_000 });
  const view = await createRegistryView(viewer);
  view.onHeartbeat((m) => beats.push(m.kind));
  try {
    await view.probe();
    await view.probe();
    await expect.poll(() => view.service('accounts')?.live).toBe(1);
    expect(beats).toEqual(['heartbeat']);
    expect(view.service('accounts')?.operations.map((o) => o.name)).toEqual(['open', 'read', 'internal']);
  } finally {
    await heartbeat.stop();
    await view.close();
    await Promise.all([a.close(), viewer.close()]);
  }
});
