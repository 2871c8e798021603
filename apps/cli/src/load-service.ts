/**
 * Imports a module and finds the service definition in it: the export named by
 * `--export`, or the only export that is a service.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AnyService } from '@bosun/core';
import { UsageError } from './parse-args.js';

const isService = (value: unknown): value is AnyService =>
  typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'service';

export async function loadService(path: string | undefined, exportName?: string): Promise<AnyService> {
  if (!path)
    throw new UsageError('name the module that exports the service, e.g. examples/hello/src/service.ts');
  const module = (await import(pathToFileURL(resolve(path)).href)) as Record<string, unknown>;
  if (exportName) {
    const value = module[exportName];
    if (!isService(value)) throw new UsageError(`${path} has no service export named "${exportName}"`);
    return value;
  }
  const services = Object.entries(module).filter(([, v]) => isService(v));
  if (services.length !== 1) {
    throw new UsageError(
      `${path} exports ${services.length} services (${services.map(([k]) => k).join(', ') || 'none'}); choose one with --export`,
    );
  }
  return services[0]![1] as AnyService;
}
