/**
 * hello as an AI agent sees it: the MCP SDK's own Client against the real process,
 * over Streamable HTTP and over stdio.
 */
import { fileURLToPath } from 'node:url';
import { spawnService, useTestDatabase } from '@bosun/testing';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { describe, expect, test } from 'vitest';

const entry = fileURLToPath(new URL('../src/main.ts', import.meta.url));

async function exercise(client: Client): Promise<void> {
  const { tools } = await client.listTools();
  expect(tools.map((t) => t.name).sort()).toEqual(['getGreeting', 'greet']);
  expect(tools.find((t) => t.name === 'getGreeting')?.annotations?.readOnlyHint).toBe(true);

  const greeted = await client.callTool({ name: 'greet', arguments: { name: 'Grace' } });
  expect(greeted.isError).toBeFalsy();
  const greeting = greeted.structuredContent as { id: string; message: string };
  expect(greeting.message).toBe('Hello, Grace!');

  const read = await client.readResource({ uri: `hello://greetings/${greeting.id}` });
  const content = read.contents[0];
  expect(content && 'text' in content ? JSON.parse(content.text) : undefined).toMatchObject({
    id: greeting.id,
    name: 'Grace',
  });

  const prompt = await client.getPrompt({
    name: 'write-greeting',
    arguments: { name: 'Ada', style: 'formal' },
  });
  expect(JSON.stringify(prompt.messages)).toContain('formal greeting for Ada');

  const bad = await client.callTool({ name: 'greet', arguments: { name: 42 } });
  expect(bad.isError).toBe(true);
  expect(JSON.stringify(bad.content)).toContain('BOSUN_VALIDATION_FAILED');

  const missing = await client.callTool({ name: 'getGreeting', arguments: { id: '999999' } });
  expect(missing.isError).toBe(true);
  expect(JSON.stringify(missing.content)).toContain('HELLO_GREETING_NOT_FOUND');
}

describe('hello over MCP', () => {
  const db = useTestDatabase({ label: 'hello_mcp' });

  test('Streamable HTTP at /mcp: tools, resources, prompts and coded errors', async () => {
    const proc = spawnService({ entry, env: { DATABASE_URL: db.url, PORT: '0', HEALTH_PORT: '0' } });
    const serving = JSON.parse(await proc.waitForLine(/"msg":"serving"/, 30_000)) as { mcp: string[] };
    const client = new Client({ name: 'bosun-test', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(serving.mcp[0]!)));
    try {
      await exercise(client);
    } finally {
      await client.close();
    }
    proc.kill('SIGTERM');
    expect((await proc.exited).code).toBe(0);
  });

  test('stdio (--mcp-stdio): the same, with nothing but protocol on stdout, and exit when the client leaves', async () => {
    const stderr: string[] = [];
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: ['--import', 'tsx', entry, '--mcp-stdio'],
      env: { ...(process.env as Record<string, string>), DATABASE_URL: db.url, HEALTH_PORT: '0' },
      stderr: 'pipe',
    });
    transport.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
    const client = new Client({ name: 'bosun-test', version: '1.0.0' });
    await client.connect(transport);
    await exercise(client);
    const pid = transport.pid!;
    await client.close();
    // The process drains and exits by itself once stdin closes.
    for (let i = 0; i < 100; i++) {
      try {
        process.kill(pid, 0);
      } catch {
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(() => process.kill(pid, 0)).toThrow();
    expect(stderr.join('')).toContain('"msg":"ready"');
  });
});
