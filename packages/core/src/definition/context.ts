/**
 * What a handler sees: the per-call context. Transports and the job runner build it;
 * handlers never reach for globals. Ports (db, jobs, events, call) are interfaces so a
 * test can hand in fakes and a service can run without a queue or a bus.
 */
import type { Logger } from 'pino';

/** The small database port the queue and services use: pg's Pool, PoolClient and Client fit it. */
export interface DbPort {
  query<R extends Record<string, unknown> = Record<string, unknown>>(
    text: string,
    values?: unknown[],
  ): Promise<{ rows: R[]; rowCount: number | null }>;
}

export interface JobSendOptions {
  priority?: number;
  startAfter?: Date | string | number;
  singletonKey?: string;
  retryLimit?: number;
  retryDelay?: number;
  retryBackoff?: boolean;
  expireInSeconds?: number;
  retentionSeconds?: number;
  deadLetter?: string;
  /** Enqueue inside the caller's transaction: pass the client that runs it. */
  db?: DbPort;
  /** W3C traceparent stored with the job; the runtime sets the sending context's. */
  traceparent?: string;
}

export interface JobSender {
  send(name: string, data: unknown, options?: JobSendOptions): Promise<{ id: string }>;
}

export interface EventPublisher {
  publish(subject: string, data: unknown, options?: { db?: DbPort }): Promise<void>;
}

/** Calls an operation of another service over the bus (RPC). The runtime provides it. */
export type RemoteCall = (
  target: string,
  operation: string,
  input: unknown,
  options?: RemoteCallOptions,
) => Promise<unknown>;

export interface RemoteCallOptions {
  timeoutMs?: number;
  /** The calling context's traceparent: the call's span is its child (the runtime sets it). */
  traceparent?: string;
  /** The calling context's request id (the runtime sets it). */
  requestId?: string;
}

export type Transport = 'http' | 'mcp' | 'rpc' | 'graphql' | 'job' | 'event' | 'internal';

/** The public surfaces of the gateway: where an edge call came in. */
export type EdgeSurface = 'http' | 'graphql' | 'mcp';

/** Who is calling: a user (from a user JWT), a service (from a service JWT), or nobody known. */
export interface Caller {
  user?: { id: string; scopes: string[]; claims?: Record<string, unknown> };
  service?: string;
  /**
   * Set when a service (the gateway) calls on behalf of a request from the public edge, with or
   * without a user: the callee re-checks the operation's own `public`, `scope` and exposure on
   * that surface (EDGE_ACCESS_IS_RECHECKED, see edge-access.ts).
   */
  edge?: EdgeSurface;
}

export interface OperationContext<TConfig = Readonly<Record<string, unknown>>> {
  service: string;
  requestId: string;
  transport: Transport;
  log: Logger;
  signal: AbortSignal;
  config: TConfig;
  db: DbPort | undefined;
  jobs: JobSender;
  events: EventPublisher;
  caller: Caller;
  /** Trace context in W3C traceparent form, when one was received. */
  traceparent?: string;
  /** Calls another service's operation; see `client()` in @bosun/bus for the typed form. */
  call?: RemoteCall;
  /** Report progress (long-running operations, jobs). A no-op where nobody listens. */
  progress(value: number, message?: string): Promise<void>;
}
