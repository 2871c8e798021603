/**
 * createRegistryView(): a live map of the platform built from registry heartbeats.
 * Any process (the registry service, the gateway, a dashboard) can keep one.
 *
 * Invariants:
 * - STALE_AFTER_MISSED_BEATS: an instance not heard from for `staleAfterMs` is reported
 *   with `stale: true`; after `forgetAfterMs` it is dropped. Staleness is computed on read
 *   from the injected clock, so no timer runs.
 * - GOODBYE_REMOVES: a goodbye drops the instance at once.
 * - BAD_HEARTBEATS_ARE_IGNORED: a message that fails the heartbeat schema changes nothing.
 */
import { decodeJson } from './envelope.js';
import { type HeartbeatMessage, heartbeatSchema, type OperationInfo } from './registry-heartbeat.js';
import type { Subscription, Transport } from './transport.port.js';

export interface InstanceEntry extends HeartbeatMessage {
  /** Clock time (ms) of the last heartbeat received. */
  lastSeen: number;
  stale: boolean;
}

export interface ServiceEntry {
  name: string;
  /** Versions running, newest heartbeat first. */
  versions: string[];
  /** Operations of the most recently heard instance. */
  operations: OperationInfo[];
  instances: InstanceEntry[];
  /** Instances that are not stale. */
  live: number;
}

export interface RegistryViewOptions {
  /** Default 15_000 ms (three missed 5 s beats). */
  staleAfterMs?: number;
  /** Default 4 × staleAfterMs. */
  forgetAfterMs?: number;
  /** Injected clock. Default Date.now. */
  now?: () => number;
}

export interface RegistryView {
  services(): ServiceEntry[];
  service(name: string): ServiceEntry | undefined;
  /** Each valid heartbeat or goodbye as it arrives; a listener's throw is swallowed. */
  onHeartbeat(listener: (message: HeartbeatMessage) => void): () => void;
  /** Asks every instance to beat now (a new view need not wait an interval). Fire and forget. */
  probe(): Promise<void>;
  close(): Promise<void>;
}

export async function createRegistryView(
  transport: Transport,
  options: RegistryViewOptions = {},
): Promise<RegistryView> {
  const now = options.now ?? Date.now;
  const staleAfter = options.staleAfterMs ?? 15_000;
  const forgetAfter = options.forgetAfterMs ?? staleAfter * 4;
  const instances = new Map<string, { message: HeartbeatMessage; lastSeen: number }>();
  const listeners = new Set<(message: HeartbeatMessage) => void>();

  const subscription: Subscription = await transport.subscribe(transport.subjects.heartbeat, (m) => {
    let parsed: ReturnType<typeof heartbeatSchema.safeParse>;
    try {
      parsed = heartbeatSchema.safeParse(decodeJson(m.data));
    } catch {
      return;
    }
    if (!parsed.success) return;
    const message = parsed.data;
    const key = `${message.service}/${message.instance}`;
    if (message.kind === 'goodbye') instances.delete(key);
    else instances.set(key, { message, lastSeen: now() });
    for (const listener of listeners) {
      try {
        listener(message);
      } catch {}
    }
  });

  const services = (): ServiceEntry[] => {
    const t = now();
    const byName = new Map<string, InstanceEntry[]>();
    for (const [key, { message, lastSeen }] of instances) {
      if (t - lastSeen > forgetAfter) {
        instances.delete(key);
        continue;
      }
      const list = byName.get(message.service) ?? [];
      list.push({ ...message, lastSeen, stale: t - lastSeen > staleAfter });
      byName.set(message.service, list);
    }
    return [...byName.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, list]) => {
        list.sort((a, b) => b.lastSeen - a.lastSeen);
        return {
          name,
          versions: [...new Set(list.map((i) => i.version))],
          operations: list[0]?.operations ?? [],
          instances: list,
          live: list.filter((i) => !i.stale).length,
        };
      });
  };

  return {
    services,
    service: (name) => services().find((s) => s.name === name),
    onHeartbeat(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    probe: () => transport.publish(transport.subjects.heartbeatProbe, new Uint8Array(0)).catch(() => {}),
    close: () => subscription.close(),
  };
}
