/**
 * invoke(): the single invocation path every transport goes through (HTTP, MCP, RPC,
 * GraphQL, in-process). Validation and error mapping live here and nowhere else, so an
 * error carries the same code on every transport.
 *
 * Invariants:
 * - INPUT_IS_VALIDATED: a handler never sees input that failed its schema.
 * - OUTPUT_IS_VALIDATED: a caller never sees output that failed its schema (BOSUN_OUTPUT_INVALID).
 * - Every throw leaves as a BosunError (CAUSE_IS_KEPT).
 * - A request whose signal is already aborted does not start its handler (BOSUN_UNAVAILABLE).
 *   LAZY_SIGNAL_IS_THE_CALLERS: when `ctx.signal` is an own getter (a signal made on first
 *   read) and the input parsed synchronously, invoke does not read it: nothing ran since the
 *   caller built ctx, so the caller refuses a request cancelled before it started (the HTTP
 *   transport does). After an async parse it is read, since time has passed.
 * - SYNC_ONLY_WITHOUT_USER_CODE: a schema is parsed with zod's synchronous safeParse only when
 *   its definition holds no function of the user's (no refine, superRefine, transform,
 *   preprocess, lazy, function default): nothing in it can return a promise. Any user
 *   function, `async` or not, sends the schema to safeParseAsync from its first call, so a
 *   check never runs twice and no promise is ever started and abandoned by a sync attempt
 *   (an abandoned rejecting promise would be an unhandled rejection, which stops the service).
 *   A check's `when` predicate and an `error` message function do not count: zod calls them
 *   synchronously and never awaits them in either mode, so the parse mode changes nothing for
 *   them; zod itself puts a `when` on every min/max/length check.
 * - A check that throws leaves invoke as BOSUN_INTERNAL with the throw as its cause.
 */
import type { z } from 'zod';
import type { BosunError } from '../errors/bosun-error.js';
import { coreErrors } from '../errors/core.errors.js';
import { describeIssues, toBosunError, validationError, zodIssues } from '../errors/normalize-error.js';
import type { OperationContext } from './context.js';
import type { AnyOperation } from './operation.js';
import type { AnyService } from './service-definition.js';

export function getOperation(service: AnyService, name: string): AnyOperation {
  const op = Object.hasOwn(service.operations, name) ? service.operations[name] : undefined;
  if (!op) {
    throw coreErrors.create(
      'BOSUN_OPERATION_NOT_FOUND',
      `Service "${service.name}" has no operation "${name}". Known: ${Object.keys(service.operations).join(', ') || 'none'}.`,
    );
  }
  return op;
}

type Schema = AnyOperation['input'];
type Parsed = { success: true; data: unknown } | { success: false; error: z.ZodError };

/** Per schema: true when it must be parsed async (it holds user code). */
const needsAsync = new WeakMap<Schema, boolean>();

/**
 * True when the schema's definition holds a function of the user's. zod keeps its own
 * checks on `_zod`, outside `def`, so any function found in a def is user code (refine,
 * transform, preprocess, a function default) and `getter` is a z.lazy. Walks zod's defs
 * generically, so it survives zod adding schema kinds.
 */
function holdsUserFunction(root: unknown): boolean {
  const seen = new Set<unknown>();
  const visit = (value: unknown, depth: number): boolean => {
    if (typeof value === 'function') return true;
    if (typeof value !== 'object' || value === null || depth > 64 || seen.has(value)) return false;
    seen.add(value);
    const internals = (value as { _zod?: { def?: unknown } })._zod;
    if (internals !== undefined) return visit(internals.def, depth + 1);
    if (Array.isArray(value)) return value.some((v) => visit(v, depth + 1));
    if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null)
      return false;
    for (const key of Object.keys(value)) {
      if (key === 'getter') return true; // z.lazy: its inside is the user's code
      if (key === 'when' || key === 'error') continue; // called sync in both modes, never awaited
      const descriptor = Object.getOwnPropertyDescriptor(value, key);
      if (descriptor && 'value' in descriptor && visit(descriptor.value, depth + 1)) return true;
      if (descriptor?.get && key === 'shape' && visit((value as Record<string, unknown>)[key], depth + 1))
        return true;
    }
    return false;
  };
  return visit(root, 0);
}

/**
 * safeParse for a schema with no user code, safeParseAsync otherwise
 * (SYNC_ONLY_WITHOUT_USER_CODE). For every transport that validates (invoke, the bus client).
 */
export function parseSchema(schema: Schema, value: unknown): Parsed | Promise<Parsed> {
  let known = needsAsync.get(schema);
  if (known === undefined) {
    known = holdsUserFunction(schema);
    needsAsync.set(schema, known);
  }
  return known ? schema.safeParseAsync(value) : schema.safeParse(value);
}

/**
 * Whether the context's signal is already aborted, without forcing a lazy one
 * (LAZY_SIGNAL_IS_THE_CALLERS): an AbortSignal costs microseconds in Node 20, so the HTTP
 * transport makes it on first read through a getter.
 */
function signalAborted(ctx: { readonly signal: AbortSignal }, timePassed: boolean): boolean {
  if (!timePassed) {
    const own = Object.getOwnPropertyDescriptor(ctx, 'signal');
    if (own !== undefined && !('value' in own)) return false;
  }
  return ctx.signal.aborted;
}

const isThenable = (v: unknown): v is PromiseLike<unknown> =>
  (typeof v === 'object' || typeof v === 'function') &&
  v !== null &&
  typeof (v as { then?: unknown }).then === 'function';

export async function invoke(
  service: AnyService,
  operationName: string,
  input: unknown,
  ctx: OperationContext<any>,
): Promise<unknown> {
  let op: AnyOperation;
  try {
    op = getOperation(service, operationName);
  } catch (error) {
    throw toBosunError(error);
  }
  let parsed: Parsed;
  let awaited = false;
  try {
    const pending = parseSchema(op.input, input);
    awaited = pending instanceof Promise;
    parsed = awaited ? await pending : (pending as Parsed);
  } catch (error) {
    throw toBosunError(error);
  }
  if (!parsed.success) throw validationError(parsed.error);
  if (signalAborted(ctx, awaited))
    throw coreErrors.create('BOSUN_UNAVAILABLE', 'The request was cancelled before it started.');
  let result: unknown;
  try {
    // A sync handler's value is used as it is: no extra tick for the common case.
    const returned: unknown = op.handler(parsed.data, ctx);
    result = isThenable(returned) ? await returned : returned;
  } catch (error) {
    throw toBosunError(error);
  }
  let checked: Parsed;
  try {
    const checking = parseSchema(op.output, result);
    checked = checking instanceof Promise ? await checking : checking;
  } catch (error) {
    throw toBosunError(error);
  }
  if (!checked.success) {
    const issues = zodIssues(checked.error);
    const err: BosunError = coreErrors.create(
      'BOSUN_OUTPUT_INVALID',
      `Operation "${service.name}.${operationName}" returned invalid output: ${describeIssues(issues)}. Fix the handler or its output schema.`,
      { meta: { issues }, cause: checked.error },
    );
    ctx.log.error({ err, operation: operationName }, 'operation output failed its schema');
    throw err;
  }
  return checked.data;
}
