/**
 * The config of a process running one or more services: bosun's variables plus every
 * service's `env` schema, parsed once. A service's own keys override bosun's on a clash.
 *
 * Invariant CONFIG_LISTS_EVERY_PROBLEM (from core): one error lists every bad variable
 * of every service in the process.
 */
import { type AnyService, type BosunEnv, coreErrors, type EnvRecord, loadConfig } from '@bosun/core';
import { z } from 'zod';

export type AppConfig = BosunEnv & Record<string, unknown>;

export function loadAppConfig(services: ReadonlyArray<AnyService>, env: EnvRecord): AppConfig {
  if (services.length === 0) {
    throw coreErrors.create('BOSUN_DEFINITION_INVALID', 'A bosun process needs at least one service.');
  }
  const names = services.map((s) => s.name);
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate) {
    throw coreErrors.create(
      'BOSUN_DEFINITION_INVALID',
      `Service "${duplicate}" is listed twice in this process.`,
    );
  }
  let shape: z.ZodRawShape = {};
  for (const service of services) if (service.env) shape = { ...shape, ...service.env.shape };
  return loadConfig(z.object(shape), env) as AppConfig;
}
