/**
 * The one place the users service reads the environment. The variables are declared by
 * bosun (PORT, HEALTH_PORT, DATABASE_URL, NODE_ENV, ...) and by the definition's `env`
 * schema (users-env.ts: USERS_JWT_PRIVATE_KEY, USERS_JWT_ISSUER, USERS_SCRYPT_LOG_N).
 */
export const env: Record<string, string | undefined> = process.env;
