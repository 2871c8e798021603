import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_META_KEY } from '../src/tool-result.js';
import { startMcp } from './fixtures/harness.js';

let mcp: Awaited<ReturnType<typeof startMcp>>;
let client: Client;
let sessionId: string;
const rejections: unknown[] = [];
const onRejection = (reason: unknown) => rejections.push(reason);
beforeAll(async () => {
  process.on('unhandledRejection', onRejection);
  mcp = await startMcp();
  client = await mcp.connect();
  sessionId = (client.transport as unknown as { sessionId: string }).sessionId;
});
afterAll(async () => {
  await mcp.close();
  process.off('unhandledRejection', onRejection);
});

const TOOLS = ['getItem', 'createItem', 'deleteItem', 'sum', 'whoAmI', 'countTo', 'render', 'renderLater'];
const key = fc.oneof(
  fc.constantFrom('id', 'name', 'count', 'input', 'n', 'title', 'verbose', '__proto__', 'constructor'),
  fc.string({ maxLength: 8 }),
);
const value = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom('', 'a1', 'true', 'false', -1, 0, 1, 11, 1e308, Number.NaN, null),
  fc.string({ maxLength: 200 }),
  fc.array(fc.double(), { maxLength: 60 }),
);
const args = fc.dictionary(key, value, { maxKeys: 5 });

describe('MCP fuzz', () => {
  it('2,000 random argument objects to every tool give a result or isError with a code, never a throw', async () => {
    let calls = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...TOOLS), args, async (name, a) => {
        // SDK 1.32.2 keeps one abort listener per request on a long-lived session signal (seen with
        // a bare McpServer too); a fresh client every 500 calls stays under Node's leak warning.
        if (++calls % 500 === 0) client = await mcp.connect();
        const result = (await client.callTool({ name, arguments: a })) as CallToolResult;
        if (result.isError) {
          const meta = result._meta?.[ERROR_META_KEY] as { code: string; status: number };
          expect(meta.code).toMatch(/^[A-Z][A-Z0-9_]+$/);
          expect(meta.status).toBeLessThan(500);
          expect((result.content[0] as { text: string }).text.startsWith(`${meta.code}: `)).toBe(true);
        } else {
          expect(result.structuredContent).toBeDefined();
        }
      }),
      { numRuns: 2000 },
    );
    expect(rejections).toEqual([]);
  });

  it('malformed JSON-RPC bodies on a live session are answered below 500 and the session keeps working', async () => {
    const body = fc.oneof(
      fc.string({ maxLength: 100 }),
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
      fc
        .record(
          {
            jsonrpc: fc.constantFrom('2.0', '1.0', 2),
            id: fc.jsonValue({ maxDepth: 1 }),
            method: fc.string(),
            params: fc.jsonValue({ maxDepth: 2 }),
          },
          { requiredKeys: [] },
        )
        .map((v) => JSON.stringify(v)),
    );
    await fc.assert(
      fc.asyncProperty(body, async (b) => {
        const res = await fetch(mcp.url, {
          method: 'POST',
          headers: {
            accept: 'application/json, text/event-stream',
            'content-type': 'application/json',
            'mcp-session-id': sessionId,
            'mcp-protocol-version': '2025-06-18',
          },
          body: b,
        });
        await res.text();
        expect(res.status).toBeLessThan(500);
      }),
      { numRuns: 300 },
    );
    expect((await client.listTools()).tools.length).toBeGreaterThan(0);
    expect(rejections).toEqual([]);
  });
});
