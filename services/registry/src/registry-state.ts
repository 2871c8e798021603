/**
 * The registry's live state, shared by its operations and its dashboard: the bus's
 * registry view (heartbeats), the readiness poller, and the queue sampler, attached once
 * the runtime has started the bus and the queue (the extension's `routes` hook) and
 * detached when the HTTP app closes.
 *
 * Invariants:
 * - NOT_READY_IS_CODED: before attach() and after detach() every read throws
 *   REGISTRY_NOT_READY (503, retryable) rather than answering an empty platform.
 * - STALE_WINS: an instance's health is `stale` once it missed its beats, whatever its last
 *   readiness said; then `draining` as reported; then the readiness poll (ONE_POLL_PER_HEALTH_SERVER).
 * Not here: staleness arithmetic (the bus's createRegistryView, STALE_AFTER_MISSED_BEATS).
 */
import type { RegistryView, Transport } from '@bosun/bus';
import type { Logger } from '@bosun/core';
import type { Queue } from '@bosun/queue';
import { createHealthPoller, type HealthPoller, type HealthTarget } from './health-poller.js';
import { createQueueSampler, type QueueSampler } from './queue-sampler.js';
import { registryErrors } from './registry.errors.js';
import type { registryTimings } from './registry-env.js';
import type { Instance, ServiceDetail, ServiceSummary } from './schemas.js';

type Timings = ReturnType<typeof registryTimings>;

export interface AttachParts {
  transport: Transport;
  queue: Queue;
  log: Logger;
  timings: Timings;
}

interface Attached {
  view: RegistryView;
  poller: HealthPoller;
  sampler: QueueSampler;
  queue: Queue;
  timings: Timings;
  timer: NodeJS.Timeout;
  offHeartbeat: () => void;
}

export interface RegistryState {
  attach(parts: AttachParts): Promise<void>;
  detach(): Promise<void>;
  readonly attached: boolean;
  services(): ServiceSummary[];
  service(name: string): ServiceDetail;
  queue(): Queue;
  sampler(): QueueSampler;
  timings(): Timings;
}

function healthTarget(i: { host: string; ports: Record<string, number> }): HealthTarget | undefined {
  const port = i.ports.health;
  return port ? { host: i.host, port } : undefined;
}

export function createRegistryState(): RegistryState {
  let state: Attached | undefined;

  const need = (): Attached => {
    if (!state) {
      throw registryErrors.create(
        'REGISTRY_NOT_READY',
        'The registry has not attached to the bus and queue yet (or is stopping); retry in a moment.',
      );
    }
    return state;
  };

  function pollAll(s: Attached): Promise<void> {
    const targets = new Map<string, HealthTarget>();
    for (const service of s.view.services()) {
      for (const i of service.instances) {
        const t = healthTarget(i);
        if (t && !i.stale) targets.set(`${t.host}:${t.port}`, t);
      }
    }
    s.poller.retain([...targets.values()]);
    return s.poller.poll([...targets.values()]);
  }

  function detail(s: Attached, name: string): ServiceDetail | undefined {
    const entry = s.view.service(name);
    if (!entry) return undefined;
    const instances: Instance[] = entry.instances.map((i) => {
      const target = healthTarget(i);
      const readiness = target ? s.poller.get(target) : undefined;
      const health: Instance['health'] = i.stale
        ? 'stale'
        : i.health !== 'ok'
          ? i.health === 'draining'
            ? 'draining'
            : 'unhealthy'
          : !target
            ? 'ok'
            : readiness === undefined
              ? 'unknown'
              : readiness.ok
                ? 'ok'
                : 'unhealthy';
      return {
        instance: i.instance,
        version: i.version,
        host: i.host,
        ports: i.ports,
        health,
        reported: i.health,
        readiness: readiness
          ? {
              ok: readiness.ok,
              status: readiness.status,
              checkedAt: readiness.checkedAt.toISOString(),
              ...(readiness.detail ? { detail: readiness.detail } : {}),
            }
          : null,
        stale: i.stale,
        lastSeen: new Date(i.lastSeen).toISOString(),
        startedAt: i.startedAt,
      };
    });
    return {
      name: entry.name,
      versions: entry.versions,
      live: entry.live,
      healthy: instances.filter((i) => i.health === 'ok').length,
      operations: entry.operations.map((o) => ({
        name: o.name,
        ...(o.idempotent ? { idempotent: true } : {}),
        inputSchema: o.inputSchema,
        outputSchema: o.outputSchema,
      })),
      instances,
    };
  }

  return {
    get attached() {
      return state !== undefined;
    },
    async attach(parts) {
      if (state) return;
      // Loaded here, not at import: the process's /livez answers before the bus code is parsed.
      const { createRegistryView } = await import('@bosun/bus');
      const view = await createRegistryView(parts.transport, { staleAfterMs: parts.timings.staleAfterMs });
      const poller = createHealthPoller({ timeoutMs: parts.timings.healthTimeoutMs });
      const sampler = createQueueSampler(parts.queue, { intervalMs: parts.timings.refreshMs });
      const s: Attached = {
        view,
        poller,
        sampler,
        queue: parts.queue,
        timings: parts.timings,
        timer: setInterval(() => void pollAll(s).catch(() => {}), parts.timings.healthPollMs),
        offHeartbeat: () => {},
      };
      s.timer.unref();
      // A new instance is polled at once rather than a poll interval later.
      s.offHeartbeat = view.onHeartbeat((m) => {
        const target = healthTarget(m);
        if (m.kind === 'heartbeat' && target && !poller.get(target))
          void poller.poll([target]).catch(() => {});
      });
      state = s;
      parts.log.info({ staleAfterMs: parts.timings.staleAfterMs }, 'registry attached to the bus and queue');
    },
    async detach() {
      const s = state;
      state = undefined;
      if (!s) return;
      clearInterval(s.timer);
      s.offHeartbeat();
      s.poller.stop();
      s.sampler.stop();
      await s.view.close().catch(() => {});
    },
    services() {
      const s = need();
      return s.view
        .services()
        .map((e) => detail(s, e.name)!)
        .map(({ operations, ...rest }) => ({
          ...rest,
          operations: operations.map((o) => ({
            name: o.name,
            ...(o.idempotent ? { idempotent: true } : {}),
          })),
        }));
    },
    service(name) {
      const found = detail(need(), name);
      if (!found) {
        throw registryErrors.create(
          'REGISTRY_SERVICE_NOT_FOUND',
          `No instance of service "${name}" has sent a heartbeat recently; check its name with listServices.`,
        );
      }
      return found;
    },
    queue: () => need().queue,
    sampler: () => need().sampler,
    timings: () => need().timings,
  };
}
