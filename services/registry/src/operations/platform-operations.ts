/**
 * listServices — GET /services; getService — GET /services/:name. The live view of every
 * service and instance from registry heartbeats plus readiness polls: version, host,
 * ports, operations, health, last seen (STALE_WINS, ONE_POLL_PER_HEALTH_SERVER).
 */
import { operation } from '@bosun/core';
import { z } from 'zod';
import type { RegistryState } from '../registry-state.js';
import { ServiceDetail, ServiceSummary } from '../schemas.js';

export const READ_SCOPE = 'registry:read';

export function platformOperations(state: RegistryState) {
  return {
    listServices: operation({
      title: 'List services',
      description:
        'Every service seen on the bus with its instances: version, host, ports, health (ok, draining, unhealthy, stale, unknown) and last heartbeat.',
      input: z.object({}),
      output: z.object({ services: z.array(ServiceSummary) }),
      http: 'GET /services',
      idempotent: true,
      scope: READ_SCOPE,
      handler: () => ({ services: state.services() }),
    }),
    getService: operation({
      title: 'Get a service',
      description: 'One service with its instances and its operations with their JSON Schemas.',
      input: z.object({ name: z.string().min(1).max(128) }),
      output: ServiceDetail,
      http: 'GET /services/:name',
      idempotent: true,
      scope: READ_SCOPE,
      handler: ({ name }) => state.service(name),
    }),
  };
}
