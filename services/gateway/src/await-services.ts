/**
 * untilCatalogHas(): waits, within a bound, until the catalog lists every named service.
 * The gateway's start-up probe makes the services beat at once, but their beats arrive
 * asynchronously; a process that holds the gateway beside its services (apps/platform) names
 * them, so it is not ready — readyz 200, the banner printed — while its edge still answers
 * 404 for their routes.
 *
 * Invariant NEIGHBOURS_ROUTABLE_WHEN_READY: with `awaitServices`, start() resolves only once
 * each of them is in the catalog, or after the bound with a warning naming those still
 * missing (never an endless start: a service may legitimately expose nothing).
 * Not here: which services are allowed (catalog.ts), staleness (the bus's registry view).
 */
import type { Logger } from '@bosun/core';
import type { Catalog } from './catalog.js';

export async function untilCatalogHas(
  catalog: Catalog,
  names: readonly string[],
  options: { timeoutMs: number; log: Logger; signal?: AbortSignal },
): Promise<void> {
  const missing = () => names.filter((name) => !catalog.entries().some((e) => e.service === name));
  if (missing().length === 0) return;
  await new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      off();
      options.signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(() => {
      options.log.warn(
        { missing: missing(), timeoutMs: options.timeoutMs },
        'gateway ready before every service of this process was heard; their routes answer 404 until they beat',
      );
      done();
    }, options.timeoutMs);
    const off = catalog.onChange(() => {
      if (missing().length === 0) done();
    });
    options.signal?.addEventListener('abort', done, { once: true });
  });
}
