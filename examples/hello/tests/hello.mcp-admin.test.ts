/**
 * The opt-in queue admin tools: a second MCP endpoint, /mcp/admin, that needs the
 * operator's MCP_ADMIN_TOKEN; ordinary agents on /mcp never see the tools.
 */
import { fileURLToPath } from 'node:url';
import { spawnService, useTestDatabase } from '@bosun/testing';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { describe, expect, test } from 'vitest';

const entry = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const TOKEN = 'test-admin-token-0123456789abcdef0123';

async function connect(url: string, token?: string): Promise<Client> {
  const client = new Client({ name: 'bosun-admin-test', version: '1.0.0' });
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } }));
  return client;
}

describe('queue admin over MCP', () => {
  const db = useTestDatabase({ label: 'hello_admin' });

  test('/mcp/admin lists and runs the queue tools with the token; /mcp has none; no token is refused', async () => {
    const proc = spawnService({
      entry,
      env: {
        DATABASE_URL: db.url,
        PORT: '0',
        HEALTH_PORT: '0',
        MCP_QUEUE_ADMIN: 'true',
        MCP_ADMIN_TOKEN: TOKEN,
      },
    });
    const serving = JSON.parse(await proc.waitForLine(/"msg":"serving"/, 30_000)) as { http: string[] };
    const api = serving.http[0]!;

    const agent = await connect(`${api}/mcp`);
    expect((await agent.listTools()).tools.map((t) => t.name)).not.toContain('queue_stats');
    await agent.callTool({ name: 'greet', arguments: { name: 'Queue' } });
    await agent.close();

    const admin = await connect(`${api}/mcp/admin`, TOKEN);
    const names = (await admin.listTools()).tools.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['queue_stats', 'greet']));
    const stats = await admin.callTool({ name: 'queue_stats', arguments: { queue: 'deliver-greeting' } });
    expect(stats.isError).toBeFalsy();
    expect(JSON.stringify(stats.content)).toContain('deliver-greeting');
    await admin.close();

    await expect(connect(`${api}/mcp/admin`, 'wrong-token-wrong-token-wrong-token')).rejects.toThrow();
    await expect(connect(`${api}/mcp/admin`)).rejects.toThrow();

    proc.kill('SIGTERM');
    expect((await proc.exited).code).toBe(0);
  });

  test('MCP_QUEUE_ADMIN without MCP_ADMIN_TOKEN refuses to start, naming the variable', async () => {
    const proc = spawnService({
      entry,
      env: { DATABASE_URL: db.url, HEALTH_PORT: '0', MCP_QUEUE_ADMIN: 'true' },
    });
    expect((await proc.exited).code).toBe(1);
    expect(proc.stderr).toContain('MCP_ADMIN_TOKEN');
  });
});
