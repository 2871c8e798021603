/**
 * Registry heartbeats: every instance announces itself on `<root>.registry.heartbeat`
 * every `intervalMs` — service, version, instance id, host, ports, operations with their
 * JSON Schemas, health — and says goodbye when it stops.
 *
 * Invariants:
 * - HEARTBEAT_IS_FIRE_AND_FORGET: a failed publish is logged and never stops the service;
 *   the next beat tries again.
 * - GOODBYE_ON_STOP: stop() publishes a goodbye, so views drop the instance at once.
 * - HEARTBEAT_IS_UNAUTHENTICATED: anyone on the bus can send one; consumers must not trust
 *   its contents for security decisions (see @bosun/auth, KEYS_NEVER_FROM_HEARTBEATS_IN_PRODUCTION).
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { AnyService, Logger } from '@bosun/core';
import { z } from 'zod';
import { encodeJson } from './envelope.js';
import type { Transport } from './transport.port.js';

export interface OperationInfo {
  name: string;
  inputSchema: unknown;
  outputSchema: unknown;
  idempotent?: boolean;
}

export const heartbeatSchema = z.object({
  v: z.literal(1),
  kind: z.enum(['heartbeat', 'goodbye']),
  service: z.string().min(1),
  version: z.string(),
  instance: z.string().min(1),
  host: z.string(),
  ports: z.record(z.string(), z.number()),
  operations: z.array(
    z.object({
      name: z.string(),
      inputSchema: z.unknown(),
      outputSchema: z.unknown(),
      idempotent: z.boolean().optional(),
    }),
  ),
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

/** The operations a heartbeat announces: those served over RPC, with JSON Schemas. */
export function describeOperations(service: AnyService): OperationInfo[] {
  return Object.entries(service.operations)
    .filter(([, op]) => op.rpc !== false)
    .map(([name, op]) => ({
      name,
      inputSchema: jsonSchema(op.input, 'input'),
      outputSchema: jsonSchema(op.output, 'output'),
      ...(op.idempotent ? { idempotent: true } : {}),
    }));
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
  const timer = setInterval(() => void send('heartbeat'), options.intervalMs ?? 5000);
  timer.unref();
  let stopping: Promise<void> | undefined;
  return {
    instance,
    beat: () => send('heartbeat'),
    stop() {
      stopping ??= (async () => {
        clearInterval(timer);
        await send('goodbye');
      })();
      return stopping;
    },
  };
}
