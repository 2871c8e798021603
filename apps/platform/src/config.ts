/**
 * The one place the platform process reads the environment. Every variable is declared
 * by bosun (PORT, HEALTH_PORT, DATABASE_URL, NATS_URL, ...) or by one of the services'
 * `env` schemas; one process parses them all at once, so a bad environment lists every
 * bad variable of every service (CONFIG_LISTS_EVERY_PROBLEM).
 */
export const env: Record<string, string | undefined> = process.env;
