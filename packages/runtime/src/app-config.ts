/**
 * The config of a process running one or more services: bosun's variables plus every
 * service's `env` schema, parsed once. A service's own keys override bosun's on a clash.
 *
 * Invariant CONFIG_LISTS_EVERY_PROBLEM (from core): one error lists every bad variable
 * of every service in the process.
 */
import { type AnyService, type BosunEnv, coreErrors, type EnvRecord, loadConfig } from '@bosun/core';
import { z } from 'zod';

/** Variables of a process (not of one service): service-to-service trust, heartbeats. */
export const runtimeEnvSchema = z.object({
  /** Ed25519 private key (PKCS#8 PEM or JWK JSON) signing this process's RPC tokens. Dev: generated. */
  SERVICE_PRIVATE_KEY: z.string().min(1).optional(),
  /** JSON object: service name -> public key (JWK, JWKS, PEM) or JWKS URL, of the callers to trust. */
  SERVICE_TRUSTED_KEYS: z
    .string()
    .optional()
    .transform((text, ctx) => {
      if (text === undefined) return {};
      try {
        const value = JSON.parse(text) as unknown;
        if (typeof value === 'object' && value !== null && !Array.isArray(value))
          return value as Record<string, never>;
      } catch {}
      ctx.addIssue({
        code: 'custom',
        message: 'a JSON object mapping service names to public keys or JWKS URLs',
      });
      return z.NEVER;
    }),
  /** Comma-separated origins allowed to call /mcp from a browser (localhost is always allowed). */
  MCP_ALLOWED_ORIGINS: z
    .string()
    .optional()
    .transform((text) =>
      (text ?? '')
        .split(',')
        .map((o) => o.trim())
        .filter(Boolean),
    ),
  /** Serve the queue admin tools (stats, get, cancel, retry, dead letters, redrive) over MCP, behind scope queue:admin. */
  MCP_QUEUE_ADMIN: z.stringbool().default(false),
  /** Bearer token an operator's MCP client sends to use the queue admin tools; at least 32 characters. */
  MCP_ADMIN_TOKEN: z.string().min(32).optional(),
  /** First token of every bus subject (and the JetStream stream names): isolates platforms sharing a NATS. */
  BUS_SUBJECT_ROOT: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/)
    .default('bosun'),
  /** How often each instance announces itself on the bus. */
  HEARTBEAT_INTERVAL_MS: z.coerce.number().int().min(100).default(5000),
  /** OTLP/HTTP collector base URL (spans go to `<url>/v1/traces`); unset: no exporter (tracing-component.ts). */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
});

export type AppConfig = BosunEnv & z.infer<typeof runtimeEnvSchema> & Record<string, unknown>;

/**
 * Parses the process's environment once: bosun's and the runtime's variables, every service's
 * `env`, and `extra` schemas (process components' variables, e.g. the platform's gateway).
 */
export function loadAppConfig(
  services: ReadonlyArray<AnyService>,
  env: EnvRecord,
  extra: ReadonlyArray<z.ZodObject> = [],
): AppConfig {
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
  let shape: z.ZodRawShape = { ...runtimeEnvSchema.shape };
  const checks: z.core.$ZodCheck<Record<string, unknown>>[] = [];
  for (const schema of [...services.map((s) => s.env), ...extra]) {
    if (!schema) continue;
    shape = { ...shape, ...schema.shape };
    // Object-level refinements (core's REFINEMENTS_SEE_EVERY_VARIABLE) travel with the shape.
    checks.push(
      ...((schema._zod.def.checks ?? []) as unknown as z.core.$ZodCheck<Record<string, unknown>>[]),
    );
  }
  const merged = z.object(shape);
  const config = loadConfig(checks.length > 0 ? merged.check(...checks) : merged, env) as AppConfig;
  if (config.MCP_QUEUE_ADMIN && !config.MCP_ADMIN_TOKEN) {
    throw coreErrors.create(
      'BOSUN_CONFIG_INVALID',
      '1 environment variable(s) are invalid or missing; set them and restart:\n  MCP_ADMIN_TOKEN: missing; expected a token of at least 32 characters when MCP_QUEUE_ADMIN=true',
      {
        meta: {
          variables: [
            {
              variable: 'MCP_ADMIN_TOKEN',
              problem: 'missing',
              expected: 'a token of at least 32 characters when MCP_QUEUE_ADMIN=true',
            },
          ],
        },
      },
    );
  }
  return config;
}
