/**
 * operation(): one typed unit of business logic. Its Zod input and output schemas are
 * the single source for every transport (REST, MCP, RPC, GraphQL); the handler's input
 * and return types come from them.
 */
import type { z } from 'zod';
import type { OperationContext } from './context.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
/** `"METHOD /path/:param"`, e.g. `"GET /users/:id"`. */
export type HttpRoute = `${HttpMethod} /${string}`;

export interface McpToolOptions {
  /** Tool name; defaults to the operation name. */
  name?: string;
  title?: string;
  description?: string;
  /** Override annotations; defaults come from the HTTP method (GET: readOnly, DELETE: destructive). */
  annotations?: {
    readOnlyHint?: boolean;
    destructiveHint?: boolean;
    idempotentHint?: boolean;
    openWorldHint?: boolean;
  };
}

export interface LongRunningOptions {
  /** The job the operation enqueues; the job's handler does the work and its result is the output. */
  job: string;
  /** How long an MCP call waits for the job before returning a handle. Default 25_000 ms. */
  waitMs?: number;
}

export interface OperationSpec<
  I extends z.ZodType,
  O extends z.ZodType,
  C = Readonly<Record<string, unknown>>,
> {
  input: I;
  output: O;
  title?: string;
  description?: string;
  /** Expose over REST: `"POST /generations"`. Default: not exposed over HTTP. */
  http?: HttpRoute | false;
  /** Expose as an MCP tool. Default: true. */
  mcp?: boolean | McpToolOptions;
  /** Serve over the bus (NATS RPC). Default: true. */
  rpc?: boolean;
  /** Expose at the gateway's GraphQL. Default: query for GET routes, mutation otherwise. */
  graphql?: boolean | { kind: 'query' | 'mutation' };
  /** Scope a caller needs. Operations without a scope and without `public: true` need an authenticated caller at the gateway. */
  scope?: string;
  public?: boolean;
  /** Safe to retry on a retryable error (the bus client retries only these). */
  idempotent?: boolean;
  longRunning?: LongRunningOptions;
  // Method syntax on purpose: handlers are compared bivariantly, so a concrete operation
  // is assignable to AnyOperation.
  handler(input: z.output<I>, ctx: OperationContext<C>): Promise<z.input<O>> | z.input<O>;
}

export interface Operation<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType, C = any>
  extends OperationSpec<I, O, C> {
  readonly kind: 'operation';
}

export type AnyOperation = Operation<z.ZodType, z.ZodType, any>;

/**
 * Declares an operation.
 * @example
 * const greet = operation({
 *   input: z.object({ name: z.string() }), output: z.object({ message: z.string() }),
 *   http: 'POST /greet',
 *   handler: ({ name }) => ({ message: `Hello, ${name}` }),
 * });
 */
export function operation<I extends z.ZodType, O extends z.ZodType, C = Readonly<Record<string, unknown>>>(
  spec: OperationSpec<I, O, C>,
): Operation<I, O, C> {
  return { kind: 'operation', ...spec };
}
