/**
 * Registry heartbeats: every instance announces itself on `<root>.registry.heartbeat`
 * every `intervalMs` — service, version, instance id, host, ports, operations with their
 * JSON Schemas and edge descriptors (http route, scope, public, graphql kind, MCP tool),
 * health — and says goodbye when it stops. A probe on `<root>.registry.probe` (a view that
 * just started) makes every instance beat at once, at most once per `min(intervalMs, 1 s)`.
 *
 * Invariants:
 * - HEARTBEAT_IS_FIRE_AND_FORGET: a failed publish is logged and never stops the service;
 *   the next beat tries again.
 * - GOODBYE_ON_STOP: stop() publishes a goodbye, so views drop the instance at once.
 * - HEARTBEAT_IS_UNAUTHENTICATED: anyone on the bus can send one; consumers must not trust
 *   its contents for security decisions (see @bosun/auth, KEYS_NEVER_FROM_HEARTBEATS_IN_PRODUCTION).
 *   The descriptors' `public` and `scope` are hints for the gateway's early refusal and its
 *   documents; the callee re-checks its own definition (EDGE_ACCESS_IS_RECHECKED, rpc-server.ts).
 * - PROBES_ARE_COALESCED_NOT_DROPPED: probes inside the throttle window get one beat when it
 *   ends, so a second view starting within a second of the first (two gateway replicas) still
 *   hears every instance at once rather than an interval later.
 * - DESCRIPTORS_ARE_OPTIONAL: every field added after v1's first release is optional, so old
 *   and new heartbeats parse in old and new views alike.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { AnyOperation, AnyService, Logger } from '@bosun/core';
import { z } from 'zod';
import { encodeJson } from './envelope.js';
import type { Transport } from './transport.port.js';

const mcpDescriptor = z.union([
  z.literal(false),
  z.object({
    name: z.string().optional(),
    title: z.string().optional(),
    description: z.string().optional(),
    annotations: z
      .object({
        readOnlyHint: z.boolean().optional(),
        destructiveHint: z.boolean().optional(),
        idempotentHint: z.boolean().optional(),
        openWorldHint: z.boolean().optional(),
      })
      .optional(),
  }),
]);

/** One operation as a heartbeat announces it (DESCRIPTORS_ARE_OPTIONAL past `name` and the schemas). */
export const operationInfoSchema = z.object({
  name: z.string(),
  inputSchema: z.unknown(),
  outputSchema: z.unknown(),
  idempotent: z.boolean().optional(),
  title: z.string().optional(),
  description: z.string().optional(),
  /** `"GET /users/:id"`, when the operation has a REST route. */
  http: z.string().optional(),
  scope: z.string().optional(),
  public: z.boolean().optional(),
  /** Where the gateway's GraphQL puts it; false: not at all. Absent (older senders): derived from `http`. */
  graphql: z.union([z.literal('query'), z.literal('mutation'), z.literal(false)]).optional(),
  /** false: not an MCP tool; absent: a tool with default name, title and annotations. */
  mcp: mcpDescriptor.optional(),
});

export type OperationInfo = z.infer<typeof operationInfoSchema>;

export const heartbeatSchema = z.object({
  v: z.literal(1),
  kind: z.enum(['heartbeat', 'goodbye']),
  service: z.string().min(1),
  version: z.string(),
  instance: z.string().min(1),
  host: z.string(),
  ports: z.record(z.string(), z.number()),
  operations: z.array(operationInfoSchema),
  health: z.string(),
  startedAt: z.string(),
  sentAt: z.string(),
  /** Public JWK of the instance's service key; only ever trusted in development. */
  publicKey: z.record(z.string(), z.unknown()).optional(),
});

export type HeartbeatMessage = z.infer<typeof heartbeatSchema>;

export interface HeartbeatOptions {
  /** Default: a new UUID. */
  instance?: string;
  /** Default: os.hostname(). */
  host?: string;
  /** e.g. `{ http: 3000, health: 9464 }`. */
  ports?: Record<string, number>;
  /** Default 5000 ms. */
  intervalMs?: number;
  /** Reported health, e.g. `ok`, `degraded`, `draining`. Default `ok`. */
  health?: () => string;
  publicKey?: Record<string, unknown>;
  log?: Logger;
}

export interface Heartbeat {
  readonly instance: string;
  /** Publishes one heartbeat now (also done every interval). */
  beat(): Promise<void>;
  /** Stops beating and publishes a goodbye. Idempotent. */
  stop(): Promise<void>;
}

const jsonSchema = (schema: z.ZodType, io: 'input' | 'output'): unknown => {
  try {
    return z.toJSONSchema(schema, { io, unrepresentable: 'any' });
  } catch {
    return {};
  }
};

function graphqlKind(op: AnyOperation): 'query' | 'mutation' | false {
  if (op.graphql === false) return false;
  if (typeof op.graphql === 'object') return op.graphql.kind;
  return typeof op.http === 'string' && op.http.startsWith('GET ') ? 'query' : 'mutation';
}

/** The operations a heartbeat announces: those served over RPC, with JSON Schemas and edge descriptors. */
export function describeOperations(service: AnyService): OperationInfo[] {
  return Object.entries(service.operations)
    .filter(([, op]) => op.rpc !== false)
    .map(([name, op]) => {
      const info: OperationInfo = {
        name,
        inputSchema: jsonSchema(op.input, 'input'),
        outputSchema: jsonSchema(op.output, 'output'),
        graphql: graphqlKind(op),
      };
      if (op.idempotent) info.idempotent = true;
      if (op.title) info.title = op.title;
      if (op.description) info.description = op.description;
      if (typeof op.http === 'string') info.http = op.http;
      if (op.scope !== undefined) info.scope = op.scope;
      if (op.public === true) info.public = true;
      if (op.mcp === false) info.mcp = false;
      else if (typeof op.mcp === 'object') info.mcp = { ...op.mcp };
      return info;
    });
}

/**
 * @example
 * const heartbeat = await startHeartbeat(transport, usersService, { ports: { http: 3000 }, health: () => (ready ? 'ok' : 'draining') });
 * // on stop: await heartbeat.stop();
 */
export async function startHeartbeat(
  transport: Transport,
  service: AnyService,
  options: HeartbeatOptions = {},
): Promise<Heartbeat> {
  const instance = options.instance ?? randomUUID();
  const startedAt = new Date().toISOString();
  const operations = describeOperations(service);
  const message = (kind: HeartbeatMessage['kind']): HeartbeatMessage => ({
    v: 1,
    kind,
    service: service.name,
    version: service.version,
    instance,
    host: options.host ?? hostname(),
    ports: options.ports ?? {},
    operations,
    health: kind === 'goodbye' ? 'stopped' : (options.health?.() ?? 'ok'),
    startedAt,
    sentAt: new Date().toISOString(),
    ...(options.publicKey ? { publicKey: options.publicKey } : {}),
  });
  const send = async (kind: HeartbeatMessage['kind']) => {
    try {
      await transport.publish(transport.subjects.heartbeat, encodeJson(message(kind)));
    } catch (error) {
      options.log?.warn({ err: error }, 'registry heartbeat failed; trying again next interval');
    }
  };
  await send('heartbeat');
  const intervalMs = options.intervalMs ?? 5000;
  const timer = setInterval(() => void send('heartbeat'), intervalMs);
  timer.unref();
  let stopped = false;
  // Throttled: anyone may probe, and a flood must not become a flood of heartbeats.
  const windowMs = Math.min(intervalMs, 1000);
  let lastProbeBeat = Number.NEGATIVE_INFINITY;
  let deferred: NodeJS.Timeout | undefined;
  const probeBeat = () => {
    deferred = undefined;
    if (stopped) return;
    lastProbeBeat = Date.now();
    void send('heartbeat');
  };
  const probes = await transport
    .subscribe(transport.subjects.heartbeatProbe, () => {
      if (stopped || deferred) return;
      const wait = lastProbeBeat + windowMs - Date.now();
      if (wait <= 0) return probeBeat();
      // PROBES_ARE_COALESCED_NOT_DROPPED: the view that probed inside the window hears one beat at its end.
      deferred = setTimeout(probeBeat, wait);
      deferred.unref();
    })
    .catch((error: unknown) => {
      options.log?.warn({ err: error }, 'registry probe subscription failed; beating on the interval only');
      return undefined;
    });
  let stopping: Promise<void> | undefined;
  return {
    instance,
    beat: () => send('heartbeat'),
    stop() {
      stopping ??= (async () => {
        stopped = true;
        clearInterval(timer);
        clearTimeout(deferred);
        await probes?.close().catch(() => {});
        await send('goodbye');
      })();
      return stopping;
    },
  };
}
