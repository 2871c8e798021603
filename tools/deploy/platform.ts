/**
 * The deployed platform, as data: each service's image, ports, environment, resources and
 * scaling, and the settings every service shares. tools/deploy/manifests.ts turns it into
 * deploy/compose.yaml and deploy/k8s/*.yaml (`npm run deploy:manifests`); tools/deploy-keys.ts
 * prints the secrets it names (`npm run deploy:keys > deploy/.env`).
 *
 * Invariants (tools/tests/deploy-manifests.test.ts):
 * - EVERY_SERVICE_DEPLOYED: each directory under services/ has an entry here.
 * - GRACE_COVERS_DRAIN: the orchestrator's grace period exceeds preStop + DRAIN_TIMEOUT_MS,
 *   so a drain is never cut short by SIGKILL.
 * - SECRETS_BY_REFERENCE: secret values never appear in a manifest, only their names.
 *
 * Not here: the services' own defaults (their `env` schemas hold those).
 */

/** An environment value: a literal, or a secret named in deploy/.env (compose) and the bosun-secrets Secret (k8s). */
export type EnvValue = string | { secret: string };

export interface DeployedService {
  /** Directory under services/, container and Deployment name, and the service's definition name. */
  name: string;
  description: string;
  /** Host port compose publishes the service's HTTP port on; only the public edge (and dashboards) get one. */
  publish?: number;
  /** The service's own variables, on top of `commonEnv`. */
  env: Record<string, EnvValue>;
  /** Platform services that must be healthy before this one starts (compose `depends_on`). */
  after: string[];
  replicas: number;
  resources: { cpu: string; memory: string; memoryLimit: string };
  /** Scale on queue depth with KEDA instead of a fixed replica count. */
  queueScaling?: {
    min: number;
    max: number;
    /** Jobs (ready or running) per replica. */
    jobsPerReplica: number;
    /** Job names to count; unset counts every job in the queue schema. */
    jobs?: string[];
  };
}

/** Ports inside every container (bosun's PORT and HEALTH_PORT defaults). */
export const HTTP_PORT = 3000;
export const HEALTH_PORT = 9000;
/** DRAIN_TIMEOUT_MS of every service (bosun's default). */
export const DRAIN_TIMEOUT_MS = 10_000;
/** Seconds the pod keeps serving after Kubernetes starts removing it from endpoints, before SIGTERM. */
export const PRE_STOP_SECONDS = 5;
/** Kubernetes terminationGracePeriodSeconds and compose stop_grace_period. */
export const GRACE_SECONDS = 30;
/** The queue's schema (packages/queue: createQueue's default) and its hot table of live jobs. */
export const QUEUE_TABLE = 'bosun_queue.job';
export const IMAGE_REPOSITORY = 'bosun';
export const VERSION = '0.1.0';

/** Each service's private key is its own secret: `<NAME>_SERVICE_PRIVATE_KEY`. */
export const privateKeySecret = (service: string) =>
  `${service.toUpperCase().replace(/-/g, '_')}_SERVICE_PRIVATE_KEY`;

export function commonEnv(service: string): Record<string, EnvValue> {
  return {
    NODE_ENV: 'production',
    PORT: String(HTTP_PORT),
    HEALTH_PORT: String(HEALTH_PORT),
    DRAIN_TIMEOUT_MS: String(DRAIN_TIMEOUT_MS),
    LOG_LEVEL: 'info',
    DATABASE_URL: { secret: 'DATABASE_URL' },
    NATS_URL: 'nats://nats:4222',
    BUS_SUBJECT_ROOT: 'bosun',
    SERVICE_PRIVATE_KEY: { secret: privateKeySecret(service) },
    // One JSON object with every service's public key: any service may call any other.
    SERVICE_TRUSTED_KEYS: { secret: 'SERVICE_TRUSTED_KEYS' },
  };
}

export const platform: DeployedService[] = [
  {
    name: 'gateway',
    description: 'The public edge: REST under /api, GraphQL, one MCP endpoint, user JWTs, rate limits',
    publish: 3000,
    // User tokens are verified against users' JWKS, read over the bus (USER_JWKS_SERVICE).
    env: {
      GATEWAY_SERVICES: 'users,notifications,registry',
      USER_JWT_ISSUER: 'bosun-users',
    },
    after: ['users', 'registry'],
    replicas: 2,
    resources: { cpu: '200m', memory: '192Mi', memoryLimit: '384Mi' },
  },
  {
    name: 'users',
    description: 'User accounts, log-in (EdDSA JWTs, refresh tokens) and the JWKS',
    env: {
      USERS_JWT_PRIVATE_KEY: { secret: 'USERS_JWT_PRIVATE_KEY' },
      USERS_JWT_ISSUER: 'bosun-users',
    },
    after: [],
    replicas: 2,
    // scrypt with N=2^17 needs 128 MiB per hash in flight.
    resources: { cpu: '250m', memory: '320Mi', memoryLimit: '640Mi' },
  },
  {
    name: 'notifications',
    description: 'Welcome notifications, webhooks with signatures and retries, email, the daily digest',
    env: {
      NOTIFICATIONS_WEBHOOK_SECRET: { secret: 'NOTIFICATIONS_WEBHOOK_SECRET' },
    },
    after: [],
    replicas: 1,
    resources: { cpu: '100m', memory: '160Mi', memoryLimit: '320Mi' },
    // Deliveries are what piles up; the digest and dead-letter jobs are one-offs.
    queueScaling: { min: 1, max: 10, jobsPerReplica: 50, jobs: ['deliver-notification'] },
  },
  {
    name: 'registry',
    description: 'Live service registry from heartbeats, and the dashboard',
    publish: 3001,
    env: {
      REGISTRY_ADMIN_TOKEN: { secret: 'REGISTRY_ADMIN_TOKEN' },
    },
    after: [],
    replicas: 1,
    resources: { cpu: '100m', memory: '128Mi', memoryLimit: '256Mi' },
  },
];

/** Every secret the manifests name, in a stable order. */
export function secretNames(): string[] {
  const names = new Set<string>();
  for (const service of platform) {
    for (const value of Object.values({ ...commonEnv(service.name), ...service.env })) {
      if (typeof value !== 'string') names.add(value.secret);
    }
  }
  return [...names].sort();
}
