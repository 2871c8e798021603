import { createHttpServer } from '@bosun/http';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { mountMcp } from '../src/mount-mcp.js';
import { demo } from './fixtures/demo-service.js';
import { testContext } from './fixtures/test-context.js';

describe('MCP mounted on the service HTTP app', () => {
  it('shares its port, request ids and drain (READY_GATES_INTAKE)', async () => {
    const log = pino({ level: 'silent' });
    const http = createHttpServer({
      service: demo,
      log,
      createContext: (base) => testContext({ ...base, transport: 'mcp' }),
    });
    const mount = mountMcp(http.app, demo, { log, createContext: testContext });
    const address = await http.listen({ port: 0, host: '127.0.0.1' });
    const url = new URL(`${address}/mcp`);

    const rest = await fetch(`${address}/items/a1`);
    expect(rest.status).toBe(200);
    const client = new Client({ name: 't', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(url));
    const result = (await client.callTool({ name: 'getItem', arguments: { id: 'a1' } })) as CallToolResult;
    expect(result.structuredContent).toEqual({ id: 'a1', name: 'first' });
    expect(mount.sessions).toBe(1);

    const raw = await fetch(url, {
      method: 'POST',
      headers: {
        accept: 'application/json, text/event-stream',
        'content-type': 'application/json',
        'x-request-id': 'mcp-1',
      },
      body: '{"jsonrpc":"2.0","id":1,"method":"tools/list"}',
    });
    expect(raw.status).toBe(400);
    expect(raw.headers.get('x-request-id')).toBe('mcp-1');
    expect(await raw.json()).toMatchObject({ code: 'BOSUN_MCP_SESSION_REQUIRED', requestId: 'mcp-1' });

    await http.drain();
    await expect(client.listTools()).rejects.toThrow(/503|BOSUN_UNAVAILABLE/);
    await client.close();
    await http.close();
    expect(mount.sessions).toBe(0);
  });
});
