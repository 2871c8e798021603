/**
 * Test helper: one caller for the gateway's three surfaces — REST under /api, GraphQL at
 * /graphql, MCP at /mcp (the SDK's own Client) — each answering `{ ok, data }` or
 * `{ ok: false, code, status? }`, so a test can assert the same result on every surface.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

export type Outcome =
  | { ok: true; data: unknown }
  | { ok: false; code: string; status?: number; detail?: string };

// biome-ignore lint/suspicious/noExplicitAny: test bodies are read field by field; each test asserts the shape it reads.
export type Body = any;

export function gatewayClient(url: string) {
  async function rest(method: string, path: string, body?: unknown, token?: string) {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (token) headers.authorization = `Bearer ${token}`;
    const res = await fetch(`${url}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return {
      status: res.status,
      body: (text ? JSON.parse(text) : undefined) as Body,
      headers: res.headers,
    };
  }

  async function restOutcome(method: string, path: string, body?: unknown, token?: string): Promise<Outcome> {
    const res = await rest(method, path, body, token);
    if (res.status < 400) return { ok: true, data: res.body };
    return { ok: false, code: res.body.code, status: res.status, detail: res.body.detail };
  }

  async function graphql(query: string, token?: string): Promise<{ status: number; body: Body }> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    const res = await fetch(`${url}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query }) });
    return { status: res.status, body: (await res.json()) as Body };
  }

  /** One root field's outcome. */
  async function graphqlOutcome(query: string, field: string, token?: string): Promise<Outcome> {
    const { body } = await graphql(query, token);
    const error = body.errors?.[0];
    if (error) {
      return {
        ok: false,
        code: error.extensions?.code,
        status: error.extensions?.status,
        detail: error.message,
      };
    }
    return { ok: true, data: body.data[field] };
  }

  async function mcp(token?: string): Promise<Client> {
    const client = new Client({ name: 'gateway-test', version: '1.0.0' });
    const requestInit = token ? { headers: { authorization: `Bearer ${token}` } } : undefined;
    await client.connect(new StreamableHTTPClientTransport(new URL(`${url}/mcp`), { requestInit }));
    return client;
  }

  async function toolOutcome(client: Client, name: string, args: Record<string, unknown>): Promise<Outcome> {
    const result = await client.callTool({ name, arguments: args });
    if (result.isError) {
      const meta = (result._meta as Record<string, { code: string; status: number }> | undefined)?.[
        'bosun.dev/error'
      ];
      const content = result.content as Array<{ text?: string }>;
      return { ok: false, code: meta?.code ?? 'NONE', status: meta?.status, detail: content[0]?.text };
    }
    return { ok: true, data: result.structuredContent };
  }

  return { rest, restOutcome, graphql, graphqlOutcome, mcp, toolOutcome };
}

/** Compares outcomes by code and status (details differ in wording between surfaces only for GraphQL's message). */
export const codeOf = (o: Outcome) => (o.ok ? 'OK' : `${o.code} ${o.status}`);
