/**
 * serveRpc(): serves a service's operations over the bus. Each operation with
 * `rpc !== false` listens on `<root>.rpc.<service>.<operation>` in queue group
 * `<service>`, so replicas share the load. Every request goes through core's `invoke()`.
 *
 * Invariants:
 * - INPUT_IS_VALIDATED / OUTPUT_IS_VALIDATED: via invoke(), the single invocation path.
 * - ERROR_CODE_CROSSES_THE_WIRE: every failure answers an error envelope with its code.
 * - READY_GATES_INTAKE: once drain() starts, no new request is taken (subscriptions are
 *   dropped; a request already delivered answers BOSUN_UNAVAILABLE, retryable), and
 *   requests in flight finish until the drain signal aborts.
 * - CALLER_IS_VERIFIED: with a verifier, a request whose token does not verify never reaches
 *   the handler; it answers the verifier's coded error (401/403).
 * - EDGE_ACCESS_IS_RECHECKED (core edge-access.ts): a caller marked `edge` (the gateway calling
 *   on behalf of a public request) reaches the handler only if this service's own definition
 *   exposes the operation on that surface and admits the user (public, or the user holds the
 *   scope): a forged registry heartbeat cannot widen access.
 * - ON_BEHALF_OF_HEADER_IS_LOCAL: the `x-bosun-on-behalf-of` header is read only without a
 *   verifier on the in-process transport, where every sender is code in this process. Over NATS
 *   the edge and user come only from the verified token (USER_RIDES_IN_THE_TOKEN).
 * - SPAN_PER_RPC: with a `tracer`, each request taken runs in a server span
 *   `rpc <service>.<operation>` (child of the request's traceparent) whose traceparent the
 *   handler's context carries; a failure records its code (`bosun.error.code`).
 * Performance: the per-request child logger and AbortController are made on first read of
 * `init.log` / `init.signal` (a context factory that copies them eagerly still gets them);
 * an abort at the drain deadline reaches every signal handed out, including ones made after it.
 * Not here: the service's real context ports (db, jobs, events) — the runtime passes createContext.
 */
import { randomUUID } from 'node:crypto';
import {
  type AnyService,
  assertEdgeAccess,
  type Caller,
  coreErrors,
  formatTraceparent,
  invoke,
  type Logger,
  minimalContext,
  type OperationContext,
  parseTraceparent,
  type SpanTracer,
  toBosunError,
  trackInFlight,
} from '@bosun/core';
import { decodeRequest, encodeReply, HEADERS } from './envelope.js';
import { childTrace } from './trace-ids.js';
import type { BusHeaders, Subscription, Transport } from './transport.port.js';

/** Structural: @bosun/auth's service verifier fits. Throws a coded error to refuse. */
export interface RequestVerifier {
  verify(token: string | undefined, operation: string): Promise<Caller>;
}

export interface RpcContextInit {
  service: string;
  operation: string;
  requestId: string;
  traceparent: string;
  caller: Caller;
  signal: AbortSignal;
  headers: BusHeaders;
  log: Logger;
}

export interface RpcServerOptions {
  log: Logger;
  /** Builds the handler's context; the runtime wires db, jobs and events here. Default: minimal context. */
  createContext?: (init: RpcContextInit) => OperationContext;
  /** Verifies `authorization: Bearer <token>` per request. Default: none (caller is anonymous). */
  verifier?: RequestVerifier;
  /** Runs each request in a server span `rpc <service>.<operation>` (SPAN_PER_RPC). Default: no spans. */
  tracer?: SpanTracer;
}

export interface RpcServer {
  /** The operations served, e.g. `['getUser', 'createUser']`. */
  readonly operations: readonly string[];
  /** Requests being handled right now. */
  readonly inFlight: number;
  /** Stops intake, waits for in-flight requests until `signal` aborts; names what was abandoned. */
  drain(signal?: AbortSignal): Promise<{ abandoned: string[] }>;
  /** drain() without a deadline. Idempotent. */
  close(): Promise<void>;
}

/**
 * core's minimal RPC context, made once: its not-wired ports (jobs, events, progress) hold no
 * per-request state, so requests share them (frozen) instead of allocating closures each
 * time; `config` stays a fresh object per request.
 */
const UNWIRED: OperationContext = minimalContext({
  service: '',
  requestId: '',
  transport: 'rpc',
  log: undefined as unknown as Logger,
  signal: undefined as unknown as AbortSignal,
});
// Shared, so nobody's handler may change them for the next request.
Object.freeze(UNWIRED.jobs);
Object.freeze(UNWIRED.events);

/**
 * The context used when no createContext is given: no database, no queue, no event bus.
 * `log` and `signal` stay lazy: they are read from `init` when the handler reads them.
 */
export function defaultRpcContext(init: RpcContextInit): OperationContext {
  return {
    ...UNWIRED,
    config: {},
    service: init.service,
    requestId: init.requestId,
    caller: init.caller,
    traceparent: init.traceparent,
    get log() {
      return init.log;
    },
    get signal() {
      return init.signal;
    },
  };
}

/** The in-process on-behalf-of header as a Caller; anything malformed counts as absent. */
function localOnBehalfOf(headers: BusHeaders): Caller {
  const value = headers[HEADERS.onBehalfOf];
  if (!value) return {};
  try {
    const parsed = JSON.parse(value) as { edge?: unknown; user?: { id?: unknown; scopes?: unknown } };
    if (parsed.edge !== 'http' && parsed.edge !== 'graphql' && parsed.edge !== 'mcp') return {};
    const caller: Caller = { edge: parsed.edge };
    const user = parsed.user;
    if (user && typeof user.id === 'string' && Array.isArray(user.scopes)) {
      caller.user = { id: user.id, scopes: user.scopes.filter((s): s is string => typeof s === 'string') };
    }
    return caller;
  } catch {
    return {};
  }
}

export function bearerToken(headers: BusHeaders): string | undefined {
  const value = headers[HEADERS.authorization];
  if (!value) return undefined;
  const match = /^Bearer\s+(.+)$/i.exec(value.trim());
  return match?.[1];
}

/**
 * @example
 * const rpc = await serveRpc(transport, usersService, { log, verifier });
 * // on SIGTERM: await rpc.drain(deadlineSignal);
 */
export async function serveRpc(
  transport: Transport,
  service: AnyService,
  options: RpcServerOptions,
): Promise<RpcServer> {
  const createContext = options.createContext ?? defaultRpcContext;
  const inFlight = trackInFlight();
  const controllers = new Set<AbortController>();
  const subscriptions: Subscription[] = [];
  const local = transport.kind === 'in-process';
  const tracer = options.tracer;
  const names = Object.entries(service.operations)
    .filter(([, op]) => op.rpc !== false)
    .map(([name]) => name);
  let draining = false;
  /** Set once drain gave up waiting: signals made after that start aborted. */
  let gaveUp = false;
  let closing: Promise<{ abandoned: string[] }> | undefined;

  for (const name of names) {
    const subject = transport.subjects.rpc(service.name, name);
    const spanName = `rpc ${service.name}.${name}`;
    const sub = await transport.serve(subject, { queue: service.name }, async (request) => {
      const requestId = request.headers[HEADERS.requestId] || randomUUID();
      if (draining) {
        const error = coreErrors.create(
          'BOSUN_UNAVAILABLE',
          `${service.name} is draining; retry another instance.`,
        );
        return { data: encodeReply({ ok: false, error }), headers: { [HEADERS.requestId]: requestId } };
      }
      const end = inFlight.begin(`rpc:${name}#${requestId}`);
      // SPAN_PER_RPC: the handler's traceparent is the server span's own.
      const span = tracer?.start(spanName, 'server', request.headers[HEADERS.traceparent], {
        'rpc.system': 'bosun',
        'rpc.service': service.name,
        'rpc.method': name,
        'bosun.request_id': requestId,
      });
      const trace = span ? span.context : childTrace(parseTraceparent(request.headers[HEADERS.traceparent]));
      // No per-request closures: only the getters below, which run on first read.
      let log: Logger | undefined;
      let controller: AbortController | undefined;
      try {
        const caller: Caller = options.verifier
          ? await options.verifier.verify(bearerToken(request.headers), name)
          : local
            ? localOnBehalfOf(request.headers)
            : {};
        if (caller.edge !== undefined)
          assertEdgeAccess(service.operations[name]!, caller, `${service.name}.${name}`);
        const { input } = decodeRequest(request.data);
        const ctx = createContext({
          service: service.name,
          operation: name,
          requestId,
          traceparent: span ? span.traceparent : formatTraceparent(trace),
          caller,
          headers: request.headers,
          get signal() {
            if (!controller) {
              controller = new AbortController();
              if (gaveUp) controller.abort();
              else controllers.add(controller);
            }
            return controller.signal;
          },
          get log() {
            log ??= options.log.child({ requestId, operation: name, traceId: trace.traceId });
            return log;
          },
        });
        const data = await invoke(service, name, input, ctx);
        return { data: encodeReply({ ok: true, data }), headers: { [HEADERS.requestId]: requestId } };
      } catch (thrown) {
        const error = toBosunError(thrown);
        span?.fail(error);
        log ??= options.log.child({ requestId, operation: name, traceId: trace.traceId });
        if (error.status >= 500) log.error({ err: error }, 'rpc request failed');
        else log.debug({ code: error.code }, 'rpc request refused');
        return { data: encodeReply({ ok: false, error }), headers: { [HEADERS.requestId]: requestId } };
      } finally {
        if (controller) controllers.delete(controller);
        span?.end();
        end();
      }
    });
    subscriptions.push(sub);
  }

  const drain = (signal?: AbortSignal) => {
    closing ??= (async () => {
      draining = true;
      const unsubscribed = Promise.allSettled(subscriptions.map((s) => s.close()));
      const idle = await inFlight.waitIdle(signal);
      const abandoned = idle ? [] : inFlight.labels();
      if (!idle) {
        gaveUp = true;
        for (const c of controllers) c.abort();
      }
      if (idle) await unsubscribed;
      return { abandoned };
    })();
    return closing;
  };

  return {
    operations: names,
    get inFlight() {
      return inFlight.size;
    },
    drain,
    async close() {
      await drain();
    },
  };
}
