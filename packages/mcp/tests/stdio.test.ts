import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_META_KEY } from '../src/tool-result.js';

const fixture = fileURLToPath(new URL('./fixtures/stdio-server.ts', import.meta.url));
let client: Client;
let stderr = '';
beforeAll(async () => {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: ['--import', 'tsx', fixture],
    stderr: 'pipe',
  });
  transport.stderr?.on('data', (chunk) => {
    stderr += String(chunk);
  });
  client = new Client({ name: 'stdio-test', version: '1.0.0' });
  await client.connect(transport);
});
afterAll(() => client.close());

describe('MCP over stdio (STDOUT_IS_FOR_THE_PROTOCOL)', () => {
  it('lists and calls tools', async () => {
    const names = (await client.listTools()).tools.map((t) => t.name);
    expect(names).toContain('getItem');
    const result = (await client.callTool({ name: 'getItem', arguments: { id: 'a1' } })) as CallToolResult;
    expect(result.structuredContent).toEqual({ id: 'a1', name: 'first' });
  });

  it('a bad argument is isError with a code', async () => {
    const result = (await client.callTool({ name: 'getItem', arguments: { id: 5 } })) as CallToolResult;
    expect(result.isError).toBe(true);
    expect(result._meta?.[ERROR_META_KEY]).toMatchObject({ code: 'BOSUN_VALIDATION_FAILED' });
  });

  it('reads a template resource and renders a prompt', async () => {
    const item = await client.readResource({ uri: 'demo://items/a1' });
    expect(JSON.parse((item.contents[0] as { text: string }).text)).toEqual({ id: 'a1', name: 'first' });
    const prompt = await client.getPrompt({ name: 'summarize', arguments: { topic: 'ports' } });
    expect(prompt.messages[0]!.content).toEqual({ type: 'text', text: 'Summarize ports in a neutral tone.' });
  });

  it('returns a job handle from a long-running tool and reads the job resource', async () => {
    const result = (await client.callTool({
      name: 'renderLater',
      arguments: { title: 'x' },
    })) as CallToolResult;
    expect(result.structuredContent).toMatchObject({ jobId: '1', resource: 'bosun://jobs/1' });
    const job = await client.readResource({ uri: 'bosun://jobs/1' });
    expect(JSON.parse((job.contents[0] as { text: string }).text)).toMatchObject({
      id: '1',
      state: 'created',
    });
  });

  it('logs went to stderr, so stdout carried only the protocol', () => {
    expect(stderr).toContain('demo MCP server starting on stdio');
  });
});
