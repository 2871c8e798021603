/**
 * The registry's own environment variables (merged by the runtime with bosun's PORT,
 * DATABASE_URL, HEARTBEAT_INTERVAL_MS, ...). Read only through the config object; the
 * process environment itself is read in config.ts alone.
 *
 * Invariant SECRETS_NEVER_PRINTED (core): REGISTRY_ADMIN_TOKEN is reported by name only.
 */
import { z } from 'zod';

export const registryEnv = z.object({
  /**
   * Grants `registry:admin` (retry, cancel, redrive): as `authorization: Bearer` over REST,
   * or typed once into the dashboard's sign-in form. Unset: the dashboard is read-only.
   */
  REGISTRY_ADMIN_TOKEN: z.string().min(32).optional(),
  /** An instance not heard from for this long is stale. Default: 1.75 × HEARTBEAT_INTERVAL_MS (a killed instance is stale within two intervals; a late beat has 0.75 of one to spare). */
  REGISTRY_STALE_AFTER_MS: z.coerce.number().int().min(100).optional(),
  /** How often each instance's `/readyz` is polled. Default: HEARTBEAT_INTERVAL_MS. */
  REGISTRY_HEALTH_POLL_MS: z.coerce.number().int().min(100).optional(),
  /** How long a `/readyz` poll may take before the instance counts as unhealthy. */
  REGISTRY_HEALTH_TIMEOUT_MS: z.coerce.number().int().min(50).default(2000),
  /** How often queue statistics are sampled and the dashboard's live views are pushed. */
  REGISTRY_REFRESH_MS: z.coerce.number().int().min(100).default(1000),
});

/** What the registry reads from its config (bosun's variables it uses plus its own). */
export interface RegistryConfig {
  NODE_ENV: 'development' | 'test' | 'production';
  HEARTBEAT_INTERVAL_MS: number;
  REGISTRY_ADMIN_TOKEN?: string;
  REGISTRY_STALE_AFTER_MS?: number;
  REGISTRY_HEALTH_POLL_MS?: number;
  REGISTRY_HEALTH_TIMEOUT_MS: number;
  REGISTRY_REFRESH_MS: number;
}

/** The timings the registry runs with, defaults resolved. */
export function registryTimings(config: RegistryConfig) {
  return {
    staleAfterMs: config.REGISTRY_STALE_AFTER_MS ?? Math.round(config.HEARTBEAT_INTERVAL_MS * 1.75),
    healthPollMs: config.REGISTRY_HEALTH_POLL_MS ?? config.HEARTBEAT_INTERVAL_MS,
    healthTimeoutMs: config.REGISTRY_HEALTH_TIMEOUT_MS,
    refreshMs: config.REGISTRY_REFRESH_MS,
  };
}
