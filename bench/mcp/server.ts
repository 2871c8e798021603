/**
 * One MCP contender in its own process (forked by run.ts): argv[2] `bosun` (mountMcp on a
 * Fastify app, stateful sessions) or `bare` (an McpServer from the SDK with the same tool,
 * the stateful Streamable HTTP pattern of STACK.md §2.6 on Fastify). Listens on 127.0.0.1
 * port 0, sends `{ port }` to the parent, exits when told `stop` or when the parent goes away.
 */
import { randomUUID } from 'node:crypto';
import type { OperationContext } from '@bosun/core';
import { type McpContextBase, mountMcp } from '@bosun/mcp';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import Fastify, { type FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { CreateItemInput, createItem, Item, itemService } from '../http/item-service.js';

const kind = process.argv[2];

// Hoisted: a fresh closure per call would be the harness's cost, not the transport's.
const jobs: OperationContext['jobs'] = { send: async () => ({ id: '1' }) };
const events: OperationContext['events'] = { publish: async () => {} };
const progress: OperationContext['progress'] = async () => {};
const config = {};
const caller = {};

function context(base: McpContextBase): OperationContext {
  return {
    service: 'items',
    requestId: base.requestId,
    transport: base.transport,
    log: base.log,
    signal: base.signal,
    config,
    db: undefined,
    jobs,
    events,
    caller,
    progress,
  };
}

function bosun(app: FastifyInstance): void {
  mountMcp(app, itemService, { log: pino({ level: 'silent' }), createContext: context });
}

function buildBareServer(): McpServer {
  const server = new McpServer({ name: 'items', version: '1.0.0' });
  server.registerTool(
    'createItem',
    { inputSchema: CreateItemInput.shape, outputSchema: Item.shape },
    async (args) => {
      const output = createItem(args);
      return {
        content: [{ type: 'text', text: JSON.stringify(output, null, 2) }],
        structuredContent: output,
      };
    },
  );
  return server;
}

function bare(app: FastifyInstance): void {
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  app.addHook('preClose', async () => {
    for (const t of sessions.values()) await t.close();
  });
  app.all('/mcp', async (req, reply) => {
    const header = req.headers['mcp-session-id'];
    const id = Array.isArray(header) ? header[0] : header;
    let transport = id ? sessions.get(id) : undefined;
    if (!transport) {
      if (id !== undefined || req.method !== 'POST' || !isInitializeRequest(req.body)) {
        return reply.code(400).send({ error: 'Bad Request: no valid session' });
      }
      const created = new StreamableHTTPServerTransport({
        sessionIdGenerator: randomUUID,
        onsessioninitialized: (sid) => void sessions.set(sid, created),
      });
      created.onclose = () => {
        if (created.sessionId) sessions.delete(created.sessionId);
      };
      await buildBareServer().connect(created);
      transport = created;
    }
    reply.hijack();
    await transport.handleRequest(req.raw, reply.raw, req.body);
  });
}

const app = Fastify({ logger: false });
if (kind === 'bosun') bosun(app);
else if (kind === 'bare') bare(app);
else throw new Error(`Unknown contender "${kind}": use bosun or bare.`);

await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
const port = typeof address === 'object' && address ? address.port : 0;
const stop = async () => {
  await app.close();
  process.exit(0);
};
process.on('message', (m) => {
  if (m === 'stop') void stop();
});
process.on('disconnect', () => void stop());
process.send?.({ port });
