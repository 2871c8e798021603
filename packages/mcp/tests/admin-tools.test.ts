import { coreErrors } from '@bosun/core';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { ERROR_META_KEY } from '../src/tool-result.js';
import { fakeAdmin } from './fixtures/fake-jobs.js';
import { startMcp } from './fixtures/harness.js';

const running: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const r of running.splice(0)) await r.close();
});
const ADMIN_TOOLS = [
  'queue_cancel_job',
  'queue_get_job',
  'queue_list_dead_letters',
  'queue_redrive',
  'queue_retry_job',
  'queue_stats',
];

describe('queue admin tools (ADMIN_IS_OPT_IN)', () => {
  it('do not exist without the adminTools option', async () => {
    const mcp = await startMcp();
    running.push(mcp);
    const client = await mcp.connect();
    const names = (await client.listTools()).tools.map((t) => t.name);
    for (const name of ADMIN_TOOLS) expect(names).not.toContain(name);
  });

  it('are listed and call the admin port when the option is given', async () => {
    const admin = fakeAdmin();
    const mcp = await startMcp({ adminTools: { port: admin } });
    running.push(mcp);
    const client = await mcp.connect();
    const tools = (await client.listTools()).tools.filter((t) => t.name.startsWith('queue_'));
    expect(tools.map((t) => t.name).sort()).toEqual(ADMIN_TOOLS);
    expect(tools.find((t) => t.name === 'queue_cancel_job')!.annotations).toMatchObject({
      destructiveHint: true,
    });

    const call = async (name: string, args: Record<string, unknown>) =>
      (await client.callTool({ name, arguments: args })) as CallToolResult;
    expect((await call('queue_stats', { queue: 'render' })).structuredContent).toMatchObject({
      queue: 'render',
      active: 1,
    });
    expect((await call('queue_get_job', { id: '7' })).structuredContent).toEqual({
      id: '7',
      state: 'failed',
    });
    expect((await call('queue_get_job', { id: '8' }))._meta?.[ERROR_META_KEY]).toMatchObject({
      code: 'BOSUN_NOT_FOUND',
    });
    expect((await call('queue_cancel_job', { id: '7' })).structuredContent).toEqual({ cancelled: true });
    expect((await call('queue_retry_job', { id: '7' })).structuredContent).toEqual({ retried: true });
    expect((await call('queue_list_dead_letters', { queue: 'render.dlq' })).structuredContent).toEqual({
      jobs: [{ id: '9', name: 'render.dlq' }],
    });
    expect((await call('queue_redrive', { deadLetter: 'render.dlq' })).structuredContent).toEqual({
      count: 1,
    });
    expect((await call('queue_cancel_job', { id: 7 }))._meta?.[ERROR_META_KEY]).toMatchObject({
      code: 'BOSUN_VALIDATION_FAILED',
    });
    expect(admin.calls).toEqual([
      'stats:render',
      'get:7',
      'get:8',
      'cancel:7',
      'retry:7',
      'dead:render.dlq:50',
      'redrive:render.dlq',
    ]);
  });

  it('need the configured scope from a verified caller (ADMIN_NEEDS_SCOPE)', async () => {
    const admin = fakeAdmin();
    const mcp = await startMcp({
      adminTools: { port: admin, scope: 'queue:admin' },
      verifyToken: (token) => {
        if (token === 'admin') return { user: { id: 'ada', scopes: ['queue:admin'] } };
        if (token === 'user') return { user: { id: 'bob', scopes: [] } };
        throw coreErrors.create('BOSUN_UNAUTHENTICATED', 'unknown token');
      },
    });
    running.push(mcp);
    const user = await mcp.connect({ authorization: 'Bearer user' });
    const denied = (await user.callTool({ name: 'queue_stats', arguments: {} })) as CallToolResult;
    expect(denied._meta?.[ERROR_META_KEY]).toMatchObject({ code: 'BOSUN_FORBIDDEN', status: 403 });
    const who = (await user.callTool({ name: 'whoAmI', arguments: {} })) as CallToolResult;
    expect(who.structuredContent).toEqual({ caller: 'bob' });
    const adminClient = await mcp.connect({ authorization: 'Bearer admin' });
    const allowed = (await adminClient.callTool({ name: 'queue_stats', arguments: {} })) as CallToolResult;
    expect(allowed.isError).toBeFalsy();
    expect(admin.calls).toEqual(['stats:*']);
  });
});

describe('extraTools', () => {
  it('are listed and run by the same dispatcher, with thrown errors as coded results', async () => {
    const mcp = await startMcp({
      extraTools: [
        {
          name: 'ping',
          description: 'Answers pong, or fails on demand.',
          inputSchema: {},
          annotations: { readOnlyHint: true },
          async call(args) {
            if (args.fail) throw coreErrors.create('BOSUN_RATE_LIMITED', 'slow down');
            return { content: [{ type: 'text', text: 'pong' }] };
          },
        },
      ],
    });
    running.push(mcp);
    const client = await mcp.connect();
    expect((await client.listTools()).tools.map((t) => t.name)).toContain('ping');
    const ok = (await client.callTool({ name: 'ping', arguments: {} })) as CallToolResult;
    expect(ok.content).toEqual([{ type: 'text', text: 'pong' }]);
    const failed = (await client.callTool({ name: 'ping', arguments: { fail: true } })) as CallToolResult;
    expect(failed._meta?.[ERROR_META_KEY]).toMatchObject({
      code: 'BOSUN_RATE_LIMITED',
      status: 429,
      retryable: true,
    });
  });
});
