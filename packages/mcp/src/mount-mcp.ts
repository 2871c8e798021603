/**
 * mountMcp(): the service's MCP server over Streamable HTTP at `/mcp` on a Fastify app
 * (the service's own HTTP app, so MCP shares its port, drain and request ids).
 *
 * Stateful mode (default): an initialize POST without `mcp-session-id` opens a session
 * with its own McpServer (ONE_SERVER_PER_SESSION); later requests name it in the header.
 * Stateless mode: every POST gets a fresh server and transport, JSON responses, no sessions.
 *
 * Invariants:
 * - ORIGIN_IS_CHECKED (origin-guard.ts), then the bearer token when `verifyToken` is set
 *   (401 BOSUN_UNAUTHENTICATED with `www-authenticate: Bearer`), before any MCP work.
 * - SESSIONS_ARE_BOUNDED / IDLE_EXPIRY (session-table.ts). Unknown session: 404
 *   BOSUN_MCP_SESSION_NOT_FOUND (clients re-initialize); no session on a non-initialize
 *   request: 400 BOSUN_MCP_SESSION_REQUIRED. Transport errors are problem+json with a code.
 * - Closing the app closes every session (preClose), so open SSE streams never hold up close.
 * - The GET stream route is `config: { longLived: true }`: @bosun/http's drain does not wait for it.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import {
  type AnyService,
  type BosunError,
  type Caller,
  coreErrors,
  toBosunError,
  toProblem,
} from '@bosun/core';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { buildMcpServer, type McpServerOptions } from './build-mcp-server.js';
import { mcpErrors } from './mcp.errors.js';
import { isOriginAllowed, type OriginPolicy } from './origin-guard.js';
import { createSessionTable } from './session-table.js';
import { serveStatelessRequest } from './stateless-request.js';

export interface MountMcpOptions extends McpServerOptions, OriginPolicy {
  /** Default `/mcp`. */
  path?: string;
  /** Default 'stateful'. */
  mode?: 'stateful' | 'stateless';
  /** Default 100. */
  maxSessions?: number;
  /** Default 30 minutes. */
  idleTimeoutMs?: number;
  /** Default 'reject' (BOSUN_MCP_TOO_MANY_SESSIONS). */
  whenFull?: 'reject' | 'evict-lru';
  /** Verifies `Authorization: Bearer <token>`; return the caller or throw (a BosunError keeps its code). */
  verifyToken?: (token: string, request: FastifyRequest) => Caller | Promise<Caller>;
  /** Clock for idle expiry (tests). */
  now?: () => number;
}

/**
 * MCP bodies are JSON-RPC: a `__proto__` key is dropped (JSON.parse never pollutes, and the
 * key means nothing to a tool), and text that is not JSON is handed to the SDK as it is,
 * which answers a JSON-RPC parse error (-32700) instead of a transport-level failure.
 */
export function parseJsonRpcBody(text: string): unknown {
  try {
    return JSON.parse(text, (key, value) => (key === '__proto__' ? undefined : value));
  } catch {
    return text;
  }
}

export interface McpMount {
  readonly sessions: number;
  close(): Promise<void>;
}

interface Session {
  transport: StreamableHTTPServerTransport;
  close(): Promise<void>;
}

/**
 * @example
 * const http = createHttpServer({ ... });
 * mountMcp(http.app, hello, { log, createContext, allowedOrigins: ['https://console.example.com'] });
 * // claude mcp add --transport http hello http://localhost:3000/mcp
 */
export function mountMcp(app: FastifyInstance, service: AnyService, options: MountMcpOptions): McpMount {
  const path = options.path ?? '/mcp';
  const table = createSessionTable<Session>({
    maxSessions: options.maxSessions ?? 100,
    idleTimeoutMs: options.idleTimeoutMs ?? 30 * 60_000,
    whenFull: options.whenFull,
    now: options.now,
  });
  const sweeper = setInterval(
    () => void table.sweep(),
    Math.min(options.idleTimeoutMs ?? 30 * 60_000, 60_000),
  );
  sweeper.unref();

  const problem = (req: FastifyRequest, reply: FastifyReply, error: BosunError) => {
    if (error.status === 401) reply.header('www-authenticate', 'Bearer');
    return reply
      .code(error.status)
      .header('content-type', 'application/problem+json; charset=utf-8')
      .send(JSON.stringify(toProblem(error, { requestId: req.id, production: options.production ?? false })));
  };

  async function authenticate(req: FastifyRequest): Promise<void> {
    if (!options.verifyToken) return;
    const header = req.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match) throw coreErrors.create('BOSUN_UNAUTHENTICATED', 'Send Authorization: Bearer <token>.');
    let caller: Caller;
    try {
      caller = await options.verifyToken(match[1]!, req);
    } catch (error) {
      const err = toBosunError(error);
      throw err.status === 401 || err.status === 403
        ? err
        : coreErrors.create('BOSUN_UNAUTHENTICATED', 'The bearer token was not accepted.', { cause: error });
    }
    const auth: AuthInfo = {
      token: match[1]!,
      clientId: caller.service ?? caller.user?.id ?? 'anonymous',
      scopes: caller.user?.scopes ?? [],
      extra: { caller },
    };
    (req.raw as IncomingMessage & { auth?: AuthInfo }).auth = auth;
  }

  async function openSession(req: FastifyRequest, reply: FastifyReply): Promise<void> {
    if (!(await table.makeRoom())) {
      throw mcpErrors.create(
        'BOSUN_MCP_TOO_MANY_SESSIONS',
        `All ${options.maxSessions ?? 100} sessions are in use.`,
      );
    }
    const server = buildMcpServer(service, options);
    let closed = false;
    const session: Session = {
      transport: new StreamableHTTPServerTransport({
        sessionIdGenerator: randomUUID,
        onsessioninitialized: (id) => table.add(id, session),
        onsessionclosed: (id) => void table.remove(id),
      }),
      async close() {
        if (closed) return;
        closed = true;
        await session.transport.close().catch(() => {});
        await server.close().catch(() => {});
      },
    };
    session.transport.onclose = () => {
      if (session.transport.sessionId) void table.remove(session.transport.sessionId);
    };
    await server.connect(session.transport);
    reply.hijack();
    await session.transport.handleRequest(req.raw, reply.raw, req.body);
  }

  async function stateless(req: FastifyRequest, reply: FastifyReply): Promise<void> {
    await serveStatelessRequest(buildMcpServer(service, options), req, reply);
  }

  async function handle(req: FastifyRequest, reply: FastifyReply): Promise<void> {
    const origin = req.headers.origin;
    if (!isOriginAllowed(origin, options)) {
      throw mcpErrors.create('BOSUN_MCP_ORIGIN_FORBIDDEN', `Origin ${origin} is not allowed.`);
    }
    await authenticate(req);
    if (options.mode === 'stateless') {
      if (req.method !== 'POST') {
        throw mcpErrors.create(
          'BOSUN_MCP_METHOD_NOT_ALLOWED',
          `${req.method} is not served in stateless mode.`,
        );
      }
      return stateless(req, reply);
    }
    const header = req.headers['mcp-session-id'];
    const sessionId = Array.isArray(header) ? header[0] : header;
    if (sessionId === undefined) {
      if (req.method === 'POST' && isInitializeRequest(req.body)) return openSession(req, reply);
      throw mcpErrors.create(
        'BOSUN_MCP_SESSION_REQUIRED',
        'Send an initialize request to open a session first.',
      );
    }
    const session = table.get(sessionId);
    if (!session) {
      throw mcpErrors.create(
        'BOSUN_MCP_SESSION_NOT_FOUND',
        `No session "${sessionId.slice(0, 64)}"; initialize again.`,
      );
    }
    reply.hijack();
    await session.transport.handleRequest(req.raw, reply.raw, req.body);
  }

  // An encapsulated scope, so this JSON parser applies to the MCP route only.
  app.register(async (scope) => {
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
      done(null, parseJsonRpcBody(body as string));
    });
    const handler = async (req: FastifyRequest, reply: FastifyReply) => {
      try {
        await handle(req, reply);
      } catch (error) {
        const err = toBosunError(error);
        if (reply.sent || reply.raw.headersSent) {
          options.log.error({ err, requestId: req.id }, 'MCP request failed after its response began');
          return;
        }
        if (err.status >= 500 && err.code !== 'BOSUN_MCP_TOO_MANY_SESSIONS') {
          options.log.error({ err, requestId: req.id }, 'MCP request failed');
        }
        return problem(req, reply, err);
      }
    };
    scope.route({ method: ['POST', 'DELETE'], url: path, handler });
    // The GET stream lives as long as the session: @bosun/http's drain must not wait for it
    // (LONG_LIVED_ROUTES_ARE_NOT_IN_FLIGHT); preClose below ends it.
    scope.route({ method: 'GET', url: path, config: { longLived: true }, handler });
  });

  const mount: McpMount = {
    get sessions() {
      return table.size;
    },
    async close() {
      clearInterval(sweeper);
      await table.closeAll();
    },
  };
  // preClose, not onClose: open SSE streams must end before the server waits for its connections.
  app.addHook('preClose', async () => mount.close());
  return mount;
}
