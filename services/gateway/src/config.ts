/**
 * The one place the gateway reads the environment. The variables are bosun's (PORT,
 * HEALTH_PORT, NATS_URL, NODE_ENV, ...) and the gateway's own (gateway-env.ts).
 */
export const env: Record<string, string | undefined> = process.env;
