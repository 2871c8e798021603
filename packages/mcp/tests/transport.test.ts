import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { startMcp } from './fixtures/harness.js';

const running: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const r of running.splice(0)) await r.close();
});
async function start(options: Parameters<typeof startMcp>[0] = {}) {
  const mcp = await startMcp(options);
  running.push(mcp);
  return mcp;
}

const ACCEPT = { accept: 'application/json, text/event-stream', 'content-type': 'application/json' };
const initialize = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
};
const listTools = { jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} };

async function post(url: URL, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { ...ACCEPT, ...headers },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, problem: () => JSON.parse(text) };
}

describe('Streamable HTTP sessions', () => {
  it('a request naming an unknown session is 404 BOSUN_MCP_SESSION_NOT_FOUND', async () => {
    const mcp = await start();
    const res = await post(mcp.url, listTools, { 'mcp-session-id': 'no-such-session' });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
    expect(res.problem()).toMatchObject({ code: 'BOSUN_MCP_SESSION_NOT_FOUND', status: 404 });
  });

  it('a non-initialize request without a session is 400 BOSUN_MCP_SESSION_REQUIRED', async () => {
    const mcp = await start();
    const res = await post(mcp.url, listTools);
    expect(res.status).toBe(400);
    expect(res.problem().code).toBe('BOSUN_MCP_SESSION_REQUIRED');
    const get = await fetch(mcp.url, { headers: ACCEPT });
    expect(get.status).toBe(400);
  });

  it('refuses a session beyond maxSessions with 503 BOSUN_MCP_TOO_MANY_SESSIONS (SESSIONS_ARE_BOUNDED)', async () => {
    const mcp = await start({ maxSessions: 2 });
    await mcp.connect();
    await mcp.connect();
    expect(mcp.mount.sessions).toBe(2);
    const res = await post(mcp.url, initialize);
    expect(res.status).toBe(503);
    expect(res.problem()).toMatchObject({ code: 'BOSUN_MCP_TOO_MANY_SESSIONS', retryable: true });
  });

  it('with whenFull: evict-lru, the least recently used session makes room', async () => {
    const mcp = await start({ maxSessions: 2, whenFull: 'evict-lru' });
    const a = await mcp.connect();
    const b = await mcp.connect();
    await a.listTools();
    const c = await mcp.connect();
    expect(mcp.mount.sessions).toBe(2);
    await expect(a.listTools()).resolves.toBeDefined();
    await expect(c.listTools()).resolves.toBeDefined();
    await expect(b.listTools()).rejects.toThrow(/404|BOSUN_MCP_SESSION_NOT_FOUND/);
  });

  it('expires sessions idle longer than idleTimeoutMs (IDLE_EXPIRY)', async () => {
    let now = 1_000;
    const mcp = await start({ idleTimeoutMs: 60_000, now: () => now });
    const client = await mcp.connect();
    await client.listTools();
    now += 59_000;
    await client.listTools();
    now += 61_000;
    await expect(client.listTools()).rejects.toThrow(/404|BOSUN_MCP_SESSION_NOT_FOUND/);
    expect(mcp.mount.sessions).toBe(0);
  });

  it('a DELETE ends the session', async () => {
    const mcp = await start();
    const transport = new StreamableHTTPClientTransport(mcp.url);
    const client = new Client({ name: 't', version: '1' });
    await client.connect(transport);
    expect(mcp.mount.sessions).toBe(1);
    await transport.terminateSession();
    expect(mcp.mount.sessions).toBe(0);
    await client.close();
  });

  it('closing the app closes every session', async () => {
    const mcp = await startMcp();
    await mcp.connect();
    await mcp.connect();
    await mcp.close();
    expect(mcp.mount.sessions).toBe(0);
  });
});

describe('origin and bearer checks', () => {
  it('refuses a foreign Origin with 403 BOSUN_MCP_ORIGIN_FORBIDDEN (ORIGIN_IS_CHECKED)', async () => {
    const mcp = await start();
    for (const origin of ['https://evil.example', 'null', 'http://localhost.evil.example']) {
      const res = await post(mcp.url, initialize, { origin });
      expect(res.status).toBe(403);
      expect(res.problem().code).toBe('BOSUN_MCP_ORIGIN_FORBIDDEN');
    }
    expect(mcp.mount.sessions).toBe(0);
  });

  it('accepts localhost origins by default and listed origins', async () => {
    const mcp = await start({ allowedOrigins: ['https://console.example.com'] });
    for (const origin of ['http://localhost:5173', 'http://127.0.0.1', 'https://console.example.com']) {
      const client = await mcp.connect({ origin });
      expect((await client.listTools()).tools.length).toBeGreaterThan(0);
    }
  });

  it('with verifyToken, a missing or rejected token is 401 BOSUN_UNAUTHENTICATED with www-authenticate', async () => {
    const mcp = await start({
      verifyToken: (token) => {
        if (token !== 'good') throw new Error('bad token');
        return { service: 'gateway' };
      },
    });
    for (const headers of [{}, { authorization: 'Bearer bad' }, { authorization: 'Basic abc' }] as Array<
      Record<string, string>
    >) {
      const res = await post(mcp.url, initialize, headers);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
      expect(res.problem().code).toBe('BOSUN_UNAUTHENTICATED');
    }
    const client = await mcp.connect({ authorization: 'Bearer good' });
    const who = (await client.callTool({ name: 'whoAmI', arguments: {} })) as CallToolResult;
    expect(who.structuredContent).toEqual({ caller: 'gateway' });
  });
});

describe('stateless mode', () => {
  it('serves every POST with a fresh server and no session', async () => {
    const mcp = await start({ mode: 'stateless' });
    const client = await mcp.connect();
    const result = (await client.callTool({ name: 'getItem', arguments: { id: 'a1' } })) as CallToolResult;
    expect(result.structuredContent).toEqual({ id: 'a1', name: 'first' });
    const again = (await client.callTool({ name: 'getItem', arguments: { id: 'zz' } })) as CallToolResult;
    expect(again.isError).toBe(true);
    expect(mcp.mount.sessions).toBe(0);
  });

  it('answers GET with 405 BOSUN_MCP_METHOD_NOT_ALLOWED', async () => {
    const mcp = await start({ mode: 'stateless' });
    const res = await fetch(mcp.url, { headers: ACCEPT });
    expect(res.status).toBe(405);
    expect(((await res.json()) as { code: string }).code).toBe('BOSUN_MCP_METHOD_NOT_ALLOWED');
  });
});
