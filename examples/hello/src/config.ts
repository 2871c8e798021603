/**
 * The one place hello reads the environment. The variables themselves are declared by
 * bosun (PORT, HEALTH_PORT, DATABASE_URL, ...) and by the service's `env` schema.
 */
export const env: Record<string, string | undefined> = process.env;
