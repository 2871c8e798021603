import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_META_KEY } from '../src/tool-result.js';
import { startMcp } from './fixtures/harness.js';

let mcp: Awaited<ReturnType<typeof startMcp>>;
let client: Client;
beforeAll(async () => {
  mcp = await startMcp();
  client = await mcp.connect();
});
afterAll(() => mcp.close());

const call = async (name: string, args: Record<string, unknown>) =>
  (await client.callTool({ name, arguments: args })) as CallToolResult;
const errorMeta = (r: CallToolResult) =>
  r._meta?.[ERROR_META_KEY] as { code: string; status: number; retryable: boolean };

describe('operations as MCP tools over Streamable HTTP', () => {
  it('lists every operation except mcp: false, with titles, schemas and annotations', async () => {
    const { tools } = await client.listTools();
    const byName = Object.fromEntries(tools.map((t) => [t.name, t]));
    expect(Object.keys(byName).sort()).toEqual(
      [
        'countTo',
        'createItem',
        'deleteItem',
        'forgetful',
        'getItem',
        'render',
        'renderLater',
        'sum',
        'whoAmI',
      ].sort(),
    );
    const get = byName.getItem!;
    expect(get.title).toBe('Get an item');
    expect(get.description).toBe('Reads one item by id.');
    expect(get.inputSchema.properties).toHaveProperty('id');
    expect(get.inputSchema.required).toEqual(['id']);
    expect(get.outputSchema?.properties).toHaveProperty('name');
    expect(get.annotations).toEqual({ readOnlyHint: true, idempotentHint: true });
    expect(byName.deleteItem!.annotations).toEqual({ readOnlyHint: false, destructiveHint: true });
    expect(byName.createItem!.title).toBe('Make an item');
    expect(byName.createItem!.annotations).toEqual({ readOnlyHint: false });
    expect(byName.sum!.inputSchema.properties).toHaveProperty('input');
    expect(byName.sum!.outputSchema).toBeUndefined();
  });

  it('a call returns structuredContent and a text rendering', async () => {
    const result = await call('getItem', { id: 'a1' });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toEqual({ id: 'a1', name: 'first' });
    expect(JSON.parse((result.content[0] as { text: string }).text)).toEqual({ id: 'a1', name: 'first' });
  });

  it('applies schema defaults through invoke()', async () => {
    const result = await call('createItem', { name: 'pen' });
    expect(result.structuredContent).toEqual({ id: 'new', name: 'pen', count: 1 });
  });

  it('a bad argument is isError with BOSUN_VALIDATION_FAILED, as HTTP answers 400', async () => {
    const result = await call('createItem', { name: 42 });
    expect(result.isError).toBe(true);
    expect((result.content[0] as { text: string }).text).toMatch(
      /^BOSUN_VALIDATION_FAILED: Invalid input: name/,
    );
    expect(errorMeta(result)).toMatchObject({
      code: 'BOSUN_VALIDATION_FAILED',
      status: 400,
      retryable: false,
    });
    expect(result.structuredContent).toBeUndefined();
  });

  it("a handler's coded error keeps its code", async () => {
    const result = await call('getItem', { id: 'zz' });
    expect(result.isError).toBe(true);
    expect((result.content[0] as { text: string }).text).toBe('DEMO_ITEM_NOT_FOUND: No item "zz".');
    expect(errorMeta(result)).toMatchObject({ code: 'DEMO_ITEM_NOT_FOUND', status: 404 });
  });

  it('a non-object input is the single argument `input`', async () => {
    const result = await call('sum', { input: [1, 2, 3] });
    expect(result.structuredContent).toEqual({ result: 6 });
    const bad = await call('sum', { input: 'x' });
    expect(errorMeta(bad).code).toBe('BOSUN_VALIDATION_FAILED');
  });

  it('an unknown tool is a JSON-RPC error naming BOSUN_MCP_TOOL_NOT_FOUND', async () => {
    await expect(client.callTool({ name: 'secret', arguments: {} })).rejects.toThrow(
      /BOSUN_MCP_TOOL_NOT_FOUND/,
    );
  });

  it('ctx.progress() becomes notifications/progress when the client asks for progress', async () => {
    const seen: Array<{ progress: number; message?: string }> = [];
    const result = await client.callTool({ name: 'countTo', arguments: { n: 3 } }, undefined, {
      onprogress: (p) => seen.push({ progress: p.progress, message: p.message }),
    });
    expect(result.structuredContent).toEqual({ counted: 3 });
    expect(seen).toEqual([
      { progress: 1, message: 'at 1' },
      { progress: 2, message: 'at 2' },
      { progress: 3, message: 'at 3' },
    ]);
  });
});

describe('resources and prompts', () => {
  it('lists the static resource and the template, and lists template instances through `list`', async () => {
    const { resources } = await client.listResources();
    expect(resources.map((r) => r.uri).sort()).toEqual(['demo://about', 'demo://items/a1']);
    const { resourceTemplates } = await client.listResourceTemplates();
    expect(resourceTemplates.map((t) => t.uriTemplate)).toContain('demo://items/{id}');
  });

  it('reads a template resource and a static one', async () => {
    const item = await client.readResource({ uri: 'demo://items/a1' });
    expect(JSON.parse((item.contents[0] as { text: string }).text)).toEqual({ id: 'a1', name: 'first' });
    const about = await client.readResource({ uri: 'demo://about' });
    expect(about.contents[0]).toMatchObject({ mimeType: 'text/plain', text: 'demo service' });
  });

  it('a resource that throws answers an error with its code', async () => {
    await expect(client.readResource({ uri: 'demo://items/none' })).rejects.toThrow(/DEMO_ITEM_NOT_FOUND/);
  });

  it('lists prompts with typed arguments and renders one', async () => {
    const { prompts } = await client.listPrompts();
    expect(prompts[0]).toMatchObject({ name: 'summarize', title: 'Summarize' });
    expect(prompts[0]!.arguments?.map((a) => [a.name, a.required])).toEqual([
      ['topic', true],
      ['tone', false],
    ]);
    const rendered = await client.getPrompt({
      name: 'summarize',
      arguments: { topic: 'queues', tone: 'dry' },
    });
    expect(rendered.messages).toEqual([
      { role: 'user', content: { type: 'text', text: 'Summarize queues in a dry tone.' } },
    ]);
  });
});
