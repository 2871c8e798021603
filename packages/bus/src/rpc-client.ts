/**
 * createClient(): the typed RPC client of another service. `await users.getUser({ id })`
 * is typed from the callee's definition (core's ClientOf) and, when the definition is
 * given, validated before sending and after receiving.
 *
 * Invariants:
 * - ERROR_CODE_CROSSES_THE_WIRE: a callee's error is rethrown as a BosunError with its code.
 * - RETRY_ONLY_IDEMPOTENT, BREAKER_FAILS_FAST (resilience.ts): every call runs under the
 *   target's policies; client-side validation failures never count against the breaker.
 * - TOKEN_PER_CALL: with a tokenProvider, each request carries
 *   `authorization: Bearer <token>` for audience = target, scope = operation.
 * - USER_RIDES_IN_THE_TOKEN: a call made `onBehalfOf` an edge request hands the edge surface and
 *   the user to the tokenProvider, which signs them into the service token; over NATS they travel
 *   nowhere else. On the in-process transport (which carries no tokens) they travel in the
 *   `x-bosun-on-behalf-of` header, which the server reads only on that transport
 *   (ON_BEHALF_OF_HEADER_IS_LOCAL, rpc-server.ts).
 * - SPAN_PER_CALL: with a `tracer`, each call (after input validation) runs in a client span
 *   `rpc <target>.<operation>` whose traceparent is the one sent, so the callee's server span
 *   is its child; the span records the error code of a failed call.
 * Performance: validation is core's parseSchema (sync for schemas without user code, so
 * nothing is ever parsed twice), trace ids come from a pooled CSPRNG (trace-ids.ts).
 */
import { randomUUID } from 'node:crypto';
import {
  type AnyService,
  type ClientOf,
  coreErrors,
  describeIssues,
  type EdgeSurface,
  formatTraceparent,
  type OperationContext,
  parseSchema,
  parseTraceparent,
  type SpanTracer,
  validationError,
  zodIssues,
} from '@bosun/core';
import { encodeRequest, HEADERS, unwrapReply } from './envelope.js';
import {
  type BreakerState,
  createResilience,
  type Resilience,
  type ResilienceOptions,
} from './resilience.js';
import { childTrace } from './trace-ids.js';
import type { BusHeaders, Transport } from './transport.port.js';

/** An edge request a service (the gateway) calls on behalf of: the surface, and the user if any. */
export interface OnBehalfOf {
  edge: EdgeSurface;
  user?: { id: string; scopes: string[] };
}

/** Structural: @bosun/auth's `signer.sign` fits. */
export type TokenProvider = (request: {
  audience: string;
  scope: string;
  onBehalfOf?: OnBehalfOf;
}) => Promise<string | undefined> | string | undefined;

export interface ClientOptions {
  /** Default per-call timeout. Default 5000 ms. */
  timeoutMs?: number;
  /** The callee's definition: validates input and output and knows which operations are idempotent. */
  definition?: AnyService;
  /** Idempotent operations when no definition is given. */
  idempotent?: Iterable<string>;
  tokenProvider?: TokenProvider;
  /** Share one Resilience per process (breaker state per target). Default: a new one for this client. */
  resilience?: Resilience | ResilienceOptions;
  /** Runs each call in a client span `rpc <target>.<operation>` (SPAN_PER_CALL). Default: no spans. */
  tracer?: SpanTracer;
}

export interface CallOptions {
  timeoutMs?: number;
  /** Propagates the caller's request id and trace. */
  ctx?: Pick<OperationContext, 'requestId' | 'traceparent'>;
  requestId?: string;
  traceparent?: string;
  headers?: BusHeaders;
  /** Call on behalf of an edge request (USER_RIDES_IN_THE_TOKEN); the callee re-checks access. */
  onBehalfOf?: OnBehalfOf;
}

/** The client: each operation takes its input and optional per-call options. */
export type BusClient<S> = {
  [K in keyof ClientOf<S>]: (
    input: Parameters<ClientOf<S>[K]>[0],
    options?: CallOptions,
  ) => ReturnType<ClientOf<S>[K]>;
} & {
  /** The target's breaker state. */
  $breakerState(): BreakerState;
  /** Untyped call by name. */
  $call(operation: string, input: unknown, options?: CallOptions): Promise<unknown>;
};

const isResilience = (r: ClientOptions['resilience']): r is Resilience =>
  typeof (r as Resilience | undefined)?.run === 'function';

/**
 * @example
 * const users = createClient<typeof usersService>(transport, 'users', { definition: usersService, tokenProvider: signer.sign });
 * const user = await users.getUser({ id }, { ctx });
 */
export function createClient<S extends AnyService>(
  transport: Transport,
  target: string,
  options: ClientOptions = {},
): BusClient<S> {
  const resilience = isResilience(options.resilience)
    ? options.resilience
    : createResilience(options.resilience ?? {});
  const idempotent = new Set(options.idempotent ?? []);
  const definition = options.definition;
  const tokenProvider = options.tokenProvider;
  const tracer = options.tracer;
  if (definition)
    for (const [name, op] of Object.entries(definition.operations)) if (op.idempotent) idempotent.add(name);

  const call = async (operation: string, input: unknown, callOptions: CallOptions = {}): Promise<unknown> => {
    const op =
      definition && Object.hasOwn(definition.operations, operation)
        ? definition.operations[operation]
        : undefined;
    if (op) {
      // No await for a sync parse: every extra microtask hop delays the publish.
      const pending = parseSchema(op.input, input);
      const parsed = pending instanceof Promise ? await pending : pending;
      if (!parsed.success) throw validationError(parsed.error);
    }
    const subject = transport.subjects.rpc(target, operation);
    const requestId = callOptions.requestId ?? callOptions.ctx?.requestId ?? randomUUID();
    const parentHeader = callOptions.traceparent ?? callOptions.ctx?.traceparent;
    // SPAN_PER_CALL: the callee's parent is this client span (retries included).
    const span = tracer?.start(`rpc ${target}.${operation}`, 'client', parentHeader, {
      'rpc.system': 'bosun',
      'rpc.service': target,
      'rpc.method': operation,
      'bosun.request_id': requestId,
    });
    const headers: BusHeaders = {
      ...callOptions.headers,
      [HEADERS.requestId]: requestId,
      [HEADERS.traceparent]: span
        ? span.traceparent
        : formatTraceparent(childTrace(parseTraceparent(parentHeader))),
    };
    if (span === undefined) return send(operation, op, input, subject, headers, callOptions);
    try {
      return await send(operation, op, input, subject, headers, callOptions);
    } catch (error) {
      span.fail(error);
      throw error;
    } finally {
      span.end();
    }
  };

  /** The wire part of a call: token, request under the target's policies, output check. */
  const send = async (
    operation: string,
    op: AnyService['operations'][string] | undefined,
    input: unknown,
    subject: string,
    headers: BusHeaders,
    callOptions: CallOptions,
  ): Promise<unknown> => {
    const onBehalfOf = callOptions.onBehalfOf;
    // Never a header a remote server could be fooled by: only the in-process one reads it.
    // (Overwritten rather than deleted: `delete` would slow every later use of the object.)
    if (onBehalfOf && transport.kind === 'in-process')
      headers[HEADERS.onBehalfOf] = JSON.stringify(onBehalfOf);
    else if (callOptions.headers && HEADERS.onBehalfOf in callOptions.headers)
      headers[HEADERS.onBehalfOf] = '';
    const data = encodeRequest(input);
    const timeoutMs = callOptions.timeoutMs ?? options.timeoutMs ?? 5000;
    const result = await resilience.run(target, { idempotent: idempotent.has(operation) }, async () => {
      const token =
        tokenProvider &&
        (await tokenProvider(
          onBehalfOf
            ? { audience: target, scope: operation, onBehalfOf }
            : { audience: target, scope: operation },
        ));
      const reply = await transport.request(subject, data, {
        timeoutMs,
        headers: token ? { ...headers, [HEADERS.authorization]: `Bearer ${token}` } : headers,
      });
      return unwrapReply(reply.data);
    });
    if (!op) return result;
    const checking = parseSchema(op.output, result);
    const checked = checking instanceof Promise ? await checking : checking;
    if (!checked.success) {
      const issues = zodIssues(checked.error);
      throw coreErrors.create(
        'BOSUN_OUTPUT_INVALID',
        `"${target}.${operation}" replied with output that fails its schema: ${describeIssues(issues)}. Deploy matching versions.`,
        { meta: { issues }, cause: checked.error },
      );
    }
    return checked.data;
  };

  return new Proxy({} as BusClient<S>, {
    get(_, property) {
      if (typeof property !== 'string' || property === 'then') return undefined;
      if (property === '$breakerState') return () => resilience.breakerState(target);
      if (property === '$call') return call;
      return (input: unknown, callOptions?: CallOptions) => call(property, input, callOptions);
    },
  });
}
