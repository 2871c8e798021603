/**
 * registry — the live view of the platform (every service and instance from registry
 * heartbeats, with readiness polled) and the operator's handle on the job queue (stats,
 * schedules, jobs, retry, cancel, redrive), as operations on REST, MCP and RPC like any
 * bosun service, plus a dashboard at /dashboard on its HTTP port.
 *
 * How it reaches the queue: through the runtime, not around it. Its extension asks for the
 * queue (`queue: true`: the process's one @bosun/queue handle on the `bosun_queue` schema of
 * the same database) and receives it, with the bus transport, when its routes are mounted;
 * it never writes SQL against the queue's tables (the queue package's admin API does).
 *
 * `createRegistry()` returns the definition and the extension `main.ts` hands to runService;
 * both share one RegistryState. Invariants are listed by name in AGENTS.md.
 */
import { defineService } from '@bosun/core';
import type { ServiceExtension } from '@bosun/runtime';
import { type AdminAuth, createAdminAuth } from './admin-auth.js';
import { mountDashboard } from './dashboard/dashboard-routes.js';
import { adminOperations } from './operations/admin-operations.js';
import { jobOperations } from './operations/job-operations.js';
import { platformOperations } from './operations/platform-operations.js';
import { queueOperations } from './operations/queue-operations.js';
import { type RegistryConfig, registryEnv, registryTimings } from './registry-env.js';
import { createRegistryState, type RegistryState } from './registry-state.js';

export { registryErrors } from './registry.errors.js';

function defineRegistry(state: RegistryState) {
  return defineService({
    name: 'registry',
    version: '0.1.0',
    description:
      'The platform registry: services and instances from heartbeats with health, queue statistics, schedules, jobs, and retry/cancel/redrive for operators.',
    env: registryEnv,
    operations: {
      ...platformOperations(state),
      ...queueOperations(state),
      ...jobOperations(state),
      ...adminOperations(state),
    },
  });
}

export type RegistryService = ReturnType<typeof defineRegistry>;

export interface Registry {
  service: RegistryService;
  /** Pass as `extensions: { registry: registry.extension }` to runService/createApp. */
  extension: ServiceExtension;
  state: RegistryState;
}

/**
 * @example
 * const registry = createRegistry();
 * await runService({ services: [registry.service], env, process, extensions: { registry: registry.extension } });
 */
export function createRegistry(): Registry {
  const state = createRegistryState();
  const service = defineRegistry(state);
  // Set when routes mount, which is before the port listens: no request sees it unset.
  let auth: AdminAuth | undefined;
  const extension: ServiceExtension = {
    queue: true,
    caller: (request) => auth?.restCaller(request.headers),
    async routes(app, parts) {
      const config = parts.config as unknown as RegistryConfig;
      auth = createAdminAuth(config.REGISTRY_ADMIN_TOKEN);
      if (!parts.queue) throw new Error('The registry needs the job queue; run it with `queue: true`.');
      await state.attach({
        transport: parts.transport,
        queue: parts.queue,
        log: parts.log,
        timings: registryTimings(config),
      });
      app.addHook('onClose', () => state.detach());
      await mountDashboard(app, { service, state, auth, context: parts.context, log: parts.log });
    },
  };
  return { service, extension, state };
}
