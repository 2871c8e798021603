/**
 * Config: bosun's own environment schema merged with a service's, parsed from an env
 * record the caller passes (a service's `config.ts` passes the process environment;
 * packages never read it themselves).
 *
 * Invariants:
 * - CONFIG_LISTS_EVERY_PROBLEM: one BOSUN_CONFIG_INVALID names every invalid or missing
 *   variable and what it expects, in one message — never the first problem only.
 * - SECRETS_NEVER_PRINTED: values of variables never appear in the error (message, detail
 *   or meta); only names and expectations do.
 * - REFINEMENTS_SEE_EVERY_VARIABLE: a service schema's object-level refinement (`.refine(fn,
 *   { path: ['VAR'], message, when: () => true })`) runs on the merged config and is reported
 *   like any other problem of VAR. With `when: () => true` it runs even when other variables
 *   are invalid, so CONFIG_LISTS_EVERY_PROBLEM still holds.
 */
import { z } from 'zod';
import { coreErrors } from '../errors/core.errors.js';

const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

/** bosun's own variables. Every service gets these, merged with its own `env` schema. */
export const bosunEnvSchema = z.object({
  /** Port of the service's transports (HTTP, MCP over HTTP). */
  PORT: port(3000),
  /** Port of /livez, /readyz and /metrics; 0 picks a free port. */
  HEALTH_PORT: port(9000),
  HOST: z.string().min(1).default('0.0.0.0'),
  /** PostgreSQL URL; unset means an embedded PostgreSQL under .bosun/. */
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  /** NATS URL; unset means the in-process transport. */
  NATS_URL: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** How long in-flight work may drain after SIGTERM before it is abandoned. */
  DRAIN_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  /** Names this replica in logs and metrics; defaults to hostname-pid at the call site. */
  SERVICE_INSTANCE_ID: z.string().min(1).optional(),
});

export type BosunEnv = z.infer<typeof bosunEnvSchema>;
export type EnvRecord = Record<string, string | undefined>;
/** The typed config: bosun's variables plus the service's. */
export type Config<S extends z.ZodObject | undefined = undefined> = S extends z.ZodObject
  ? BosunEnv & z.infer<S>
  : BosunEnv;

/** One problem with one variable; never carries the value. */
export interface ConfigProblem {
  variable: string;
  problem: 'missing' | 'invalid';
  expected: string;
}

/**
 * Parses `env` against bosun's schema merged with `serviceEnvSchema` (the service's
 * keys win on a clash). Empty strings count as unset, so `PORT=` means "use the default".
 * @throws BosunError BOSUN_CONFIG_INVALID listing every bad variable (CONFIG_LISTS_EVERY_PROBLEM).
 * @example
 * // services/users/src/config.ts, the one file that reads the environment:
 * export const loadUsersConfig = (env: EnvRecord) => loadConfig(z.object({ API_KEY: z.string() }), env);
 */
export function loadConfig<S extends z.ZodObject | undefined = undefined>(
  serviceEnvSchema: S,
  env: EnvRecord,
): Config<S> {
  const merged = serviceEnvSchema ? bosunEnvSchema.extend(serviceEnvSchema.shape) : bosunEnvSchema;
  // REFINEMENTS_SEE_EVERY_VARIABLE: the service schema's object-level checks (e.g. "required
  // when NODE_ENV=production") run on the merged object, so they can read bosun's variables.
  const checks = (serviceEnvSchema?._zod.def.checks ?? []) as unknown as z.core.$ZodCheck<
    Record<string, unknown>
  >[];
  const schema = checks.length > 0 ? merged.check(...checks) : merged;
  const input: EnvRecord = {};
  for (const key of Object.keys(schema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== '') input[key] = value;
  }
  const result = schema.safeParse(input);
  if (result.success) return result.data as Config<S>;

  const problems = new Map<string, ConfigProblem>();
  for (const issue of result.error.issues) {
    const variable = String(issue.path[0] ?? '(root)');
    if (problems.has(variable)) continue;
    const missing = input[variable] === undefined;
    problems.set(variable, {
      variable,
      problem: missing ? 'missing' : 'invalid',
      expected: expectation(issue),
    });
  }
  const list = [...problems.values()].sort((a, b) => a.variable.localeCompare(b.variable));
  const lines = list.map((p) => `  ${p.variable}: ${p.problem}; expected ${p.expected}`);
  throw coreErrors.create(
    'BOSUN_CONFIG_INVALID',
    `${list.length} environment variable(s) are invalid or missing; set them and restart:\n${lines.join('\n')}`,
    { meta: { variables: list } },
  );
}

/**
 * Describes what the schema expects without echoing the input. Zod's own messages for
 * some checks quote the received value, so they are rebuilt here from the issue's shape
 * (SECRETS_NEVER_PRINTED).
 */
function expectation(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.expected === 'int') return 'an integer';
      return `${/^[aeiou]/.test(issue.expected) ? 'an' : 'a'} ${issue.expected}`;
    case 'invalid_value':
      return `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'too_small':
      return `${issue.origin === 'string' ? 'length' : 'a value'} >= ${String(issue.minimum)}`;
    case 'too_big':
      return `${issue.origin === 'string' ? 'length' : 'a value'} <= ${String(issue.maximum)}`;
    case 'invalid_format':
      return issue.format === 'url'
        ? 'a URL (postgres://user@host:port/db for DATABASE_URL)'
        : `a ${issue.format} string`;
    case 'not_multiple_of':
      return `a multiple of ${String(issue.divisor)}`;
    case 'invalid_union':
      return 'one of the accepted forms';
    case 'custom':
      // A custom refinement's message is the schema author's text, not the value.
      return issue.message;
    default:
      return 'a valid value';
  }
}
