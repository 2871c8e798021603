import type { AnyService, Logger } from '@bosun/core';
import type { ContextFactory } from '@bosun/runtime';
import type { FastifyInstance } from 'fastify';
import type { AdminAuth } from '../admin-auth.js';
import type { RegistryState } from '../registry-state.js';

export interface DashboardOptions {
  service: AnyService;
  state: RegistryState;
  auth: AdminAuth;
  context: ContextFactory;
  log: Logger;
}

export async function mountDashboard(_app: FastifyInstance, _options: DashboardOptions): Promise<void> {}
