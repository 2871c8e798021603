/**
 * The one place the registry service reads the environment. The variables are declared by
 * bosun (PORT, HEALTH_PORT, DATABASE_URL, NATS_URL, HEARTBEAT_INTERVAL_MS, ...) and by the
 * definition's `env` schema (registry-env.ts).
 */
export const env: Record<string, string | undefined> = process.env;
