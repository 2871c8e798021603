/**
 * The gateway's own environment variables (merged with bosun's PORT, HEALTH_PORT, NATS_URL,
 * NODE_ENV, ...). Read only through the parsed config; config.ts is the one env reader.
 */
import { z } from 'zod';
import { parseTopicRules, type TopicRule } from './stream-topics.js';

const list = z
  .string()
  .optional()
  .transform((text) =>
    (text ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean),
  );

export const gatewayEnv = z
  .object({
    /**
     * Comma-separated services whose operations the gateway exposes (CATALOG_IS_ALLOW_LISTED).
     * Required in production; in development every service heard on the bus is exposed.
     */
    GATEWAY_SERVICES: list,
    /** Ed25519 private key (PKCS#8 PEM or JWK JSON) signing the gateway's service tokens over NATS. Dev: generated. */
    SERVICE_PRIVATE_KEY: z.string().min(1).optional(),
    /** First token of every bus subject; the same value as the services'. */
    BUS_SUBJECT_ROOT: z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/)
      .default('bosun'),
    /** How often the gateway announces itself (its development key) on the bus. */
    HEARTBEAT_INTERVAL_MS: z.coerce.number().int().min(100).default(5000),
    /** JWKS URL of the user token issuer. Unset: the JWKS is fetched over the bus from USER_JWKS_SERVICE. */
    USER_JWKS_URL: z.url().optional(),
    /** The service whose `jwks` operation serves the user token keys. */
    USER_JWKS_SERVICE: z.string().min(1).default('users'),
    /** Required `iss` of user access tokens (the users service's USERS_JWT_ISSUER). */
    USER_JWT_ISSUER: z.string().min(1).default('bosun-users'),
    /** Required `aud` of user access tokens, when the issuer sets one. */
    USER_JWT_AUDIENCE: z.string().min(1).optional(),
    /** Comma-separated browser origins allowed by CORS and at /mcp (localhost is always allowed at /mcp). */
    CORS_ORIGINS: list,
    /** Trust `x-forwarded-for` from a proxy in front (the rate limit keys on the client IP it names). */
    GATEWAY_TRUST_PROXY: z.stringbool().default(false),
    /** Requests per client IP per window, over every route. */
    RATE_LIMIT_MAX: z.coerce.number().int().min(1).default(300),
    RATE_LIMIT_WINDOW_MS: z.coerce.number().int().min(100).default(60_000),
    /** Deadline of one call to a service over the bus. */
    GATEWAY_CALL_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
    /**
     * Event subjects `/stream` may carry, each with the scope a user needs (`*`: any signed-in
     * user): `user.>=users:admin,order.*=orders:read`. STREAM_IS_DENY_BY_DEFAULT: unlisted subjects never stream.
     */
    GATEWAY_STREAM_TOPICS: z
      .string()
      .default('user.>=users:admin')
      .transform((text, ctx): TopicRule[] => {
        try {
          return parseTopicRules(text);
        } catch (error) {
          ctx.issues.push({ code: 'custom', message: (error as Error).message, input: text });
          return z.NEVER;
        }
      }),
    /** Open streams per gateway replica (STREAMS_ARE_BOUNDED); past it, 503 GATEWAY_STREAMS_FULL. */
    GATEWAY_STREAM_MAX: z.coerce.number().int().min(1).default(1000),
    /** Open streams per user per replica; past it, 429 GATEWAY_STREAMS_PER_USER_EXCEEDED. */
    GATEWAY_STREAM_MAX_PER_USER: z.coerce.number().int().min(1).default(5),
    /** Interval of the `: ping` comment on every stream. */
    GATEWAY_STREAM_HEARTBEAT_MS: z.coerce.number().int().min(100).default(15_000),
    /** The service whose `getJob` operation answers `/stream?job=` (and re-checks who may read it). */
    GATEWAY_JOBS_SERVICE: z.string().min(1).default('registry'),
    /** How often a watched job is read again. */
    GATEWAY_STREAM_JOB_POLL_MS: z.coerce.number().int().min(50).default(1000),
  })
  // CATALOG_IS_ALLOW_LISTED at boot: a production gateway without the list exits 1 naming it,
  // with every other bad variable (core's REFINEMENTS_SEE_EVERY_VARIABLE).
  .refine(
    (env) =>
      (env as { NODE_ENV?: string }).NODE_ENV !== 'production' ||
      (Array.isArray(env.GATEWAY_SERVICES) && env.GATEWAY_SERVICES.length > 0),
    {
      path: ['GATEWAY_SERVICES'],
      message: 'a comma-separated list of the services to expose when NODE_ENV=production',
      when: () => true,
    },
  );

export type GatewayEnv = z.infer<typeof gatewayEnv>;
