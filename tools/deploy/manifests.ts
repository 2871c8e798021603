/**
 * Renders the platform model (platform.ts) into the files under deploy/: compose.yaml
 * (postgres 15, NATS with JetStream, every service wired by env, healthchecks on /readyz)
 * and k8s/ (a Deployment + Service per service with /livez and /readyz probes on the
 * health port, and a KEDA ScaledObject for each queue-scaled service).
 *
 * Invariants: GRACE_COVERS_DRAIN and SECRETS_BY_REFERENCE (platform.ts): values of
 * secrets are `${NAME}` references (compose, filled from deploy/.env) or secretKeyRefs
 * (k8s, the `bosun-secrets` Secret); a missing secret stops `docker compose up` with the fix.
 * Not here: writing files (tools/deploy-manifests.ts).
 */
import {
  commonEnv,
  type DeployedService,
  type EnvValue,
  GRACE_SECONDS,
  HEALTH_PORT,
  HTTP_PORT,
  IMAGE_REPOSITORY,
  PRE_STOP_SECONDS,
  platform,
  QUEUE_TABLE,
  VERSION,
} from './platform.js';
import { toYaml, toYamlDocuments, type Yaml } from './yaml.js';

const HEADER = [
  '# Generated from tools/deploy/platform.ts by `npm run deploy:manifests`: edit that file, not this one.',
  '# Guide: docs/deploy.md.',
].join('\n');

const SECRET_NAME = 'bosun-secrets';
const KEYS_HINT = 'run npm run deploy:keys > deploy/.env';

const envOf = (service: DeployedService): Record<string, EnvValue> => ({
  ...commonEnv(service.name),
  ...service.env,
});

/** Node is the one program every image has: the check fetches /readyz on the health port. */
const readyzCheck = (port: number) =>
  `fetch('http://127.0.0.1:${port}/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))`;

function composeService(service: DeployedService): Yaml {
  const environment: Record<string, string> = {};
  for (const [key, value] of Object.entries(envOf(service))) {
    environment[key] = typeof value === 'string' ? value : `\${${value.secret}:?${KEYS_HINT}}`;
  }
  const dependsOn: Record<string, Yaml> = {
    postgres: { condition: 'service_healthy' },
    nats: { condition: 'service_healthy' },
  };
  for (const other of service.after) dependsOn[other] = { condition: 'service_healthy' };
  return {
    image: `${IMAGE_REPOSITORY}/${service.name}:\${BOSUN_VERSION:-${VERSION}}`,
    build: { context: '..', dockerfile: `services/${service.name}/Dockerfile` },
    environment,
    ports: service.publish ? [`${service.publish}:${HTTP_PORT}`] : undefined,
    depends_on: dependsOn,
    healthcheck: {
      test: ['CMD', 'node', '-e', readyzCheck(HEALTH_PORT)],
      interval: '5s',
      timeout: '3s',
      retries: 12,
      start_period: '10s',
    },
    // Docker's default (10 s) equals DRAIN_TIMEOUT_MS and would SIGKILL a full drain.
    stop_grace_period: `${GRACE_SECONDS}s`,
    restart: 'unless-stopped',
  };
}

export function renderCompose(): string {
  const services: Record<string, Yaml> = {
    postgres: {
      image: 'postgres:15-bookworm',
      environment: {
        POSTGRES_USER: 'bosun',
        POSTGRES_DB: 'bosun',
        POSTGRES_PASSWORD: `\${POSTGRES_PASSWORD:?${KEYS_HINT}}`,
      },
      volumes: ['postgres-data:/var/lib/postgresql/data'],
      healthcheck: {
        test: ['CMD-SHELL', 'pg_isready -U bosun -d bosun'],
        interval: '5s',
        timeout: '3s',
        retries: 12,
      },
      restart: 'unless-stopped',
    },
    nats: {
      image: 'nats:2.10-alpine',
      command: ['-js', '-sd', '/data', '-m', '8222'],
      volumes: ['nats-data:/data'],
      healthcheck: {
        test: ['CMD', 'wget', '-q', '-O', '/dev/null', 'http://127.0.0.1:8222/healthz?js-enabled-only=true'],
        interval: '5s',
        timeout: '3s',
        retries: 12,
      },
      restart: 'unless-stopped',
    },
  };
  for (const service of platform) services[service.name] = composeService(service);
  return `${HEADER}\n${toYaml({ name: 'bosun', services, volumes: { 'postgres-data': {}, 'nats-data': {} } })}`;
}

const labels = (service: string) => ({
  'app.kubernetes.io/name': service,
  'app.kubernetes.io/part-of': 'bosun',
  'app.kubernetes.io/version': VERSION,
});

function k8sEnv(service: DeployedService): Yaml[] {
  return Object.entries(envOf(service)).map(([name, value]) =>
    typeof value === 'string'
      ? { name, value }
      : { name, valueFrom: { secretKeyRef: { name: SECRET_NAME, key: value.secret } } },
  );
}

function deployment(service: DeployedService): Yaml {
  const probe = (path: string, periodSeconds: number, failureThreshold: number) => ({
    httpGet: { path, port: 'health' },
    periodSeconds,
    timeoutSeconds: 2,
    failureThreshold,
  });
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: service.name, labels: labels(service.name) },
    spec: {
      // KEDA owns the replica count of a queue-scaled service; a fixed one here would fight it.
      replicas: service.queueScaling ? undefined : service.replicas,
      selector: { matchLabels: { 'app.kubernetes.io/name': service.name } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
      template: {
        metadata: {
          labels: labels(service.name),
          annotations: {
            'prometheus.io/scrape': 'true',
            'prometheus.io/port': String(HEALTH_PORT),
            'prometheus.io/path': '/metrics',
          },
        },
        spec: {
          // GRACE_COVERS_DRAIN: preStop, then SIGTERM and a drain of up to DRAIN_TIMEOUT_MS.
          terminationGracePeriodSeconds: GRACE_SECONDS,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: 1001,
            runAsGroup: 1001,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          containers: [
            {
              name: service.name,
              image: `${IMAGE_REPOSITORY}/${service.name}:${VERSION}`,
              ports: [
                { name: 'http', containerPort: HTTP_PORT },
                { name: 'health', containerPort: HEALTH_PORT },
              ],
              env: k8sEnv(service),
              // /livez answers as soon as the process runs; allow a slow start (migrations) once.
              startupProbe: probe('/livez', 2, 30),
              livenessProbe: probe('/livez', 10, 3),
              readinessProbe: probe('/readyz', 5, 2),
              lifecycle: { preStop: { exec: { command: ['sleep', String(PRE_STOP_SECONDS)] } } },
              resources: {
                requests: { cpu: service.resources.cpu, memory: service.resources.memory },
                limits: { memory: service.resources.memoryLimit },
              },
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ['ALL'] },
              },
              volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
            },
          ],
          volumes: [{ name: 'tmp', emptyDir: {} }],
        },
      },
    },
  };
}

function k8sService(service: DeployedService): Yaml {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: service.name, labels: labels(service.name) },
    spec: {
      selector: { 'app.kubernetes.io/name': service.name },
      ports: [{ name: 'http', port: HTTP_PORT, targetPort: 'http' }],
    },
  };
}

/** Jobs waiting (due) or running: the work the service's replicas share. */
export function queueDepthQuery(jobs: string[] | undefined): string {
  const names = jobs ? ` AND name IN (${jobs.map((j) => `'${j.replace(/'/g, "''")}'`).join(', ')})` : '';
  return `SELECT count(*) FROM ${QUEUE_TABLE} WHERE (state = 'active' OR run_at <= now())${names}`;
}

function scaledObject(service: DeployedService): Yaml[] {
  const scaling = service.queueScaling!;
  const auth = `${service.name}-queue-db`;
  return [
    {
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'ScaledObject',
      metadata: { name: service.name, labels: labels(service.name) },
      spec: {
        scaleTargetRef: { name: service.name },
        minReplicaCount: scaling.min,
        maxReplicaCount: scaling.max,
        pollingInterval: 15,
        // Scale down slowly: a replica going away drains, and its released jobs go back to the queue.
        cooldownPeriod: 300,
        triggers: [
          {
            type: 'postgresql',
            metadata: {
              query: queueDepthQuery(scaling.jobs),
              targetQueryValue: String(scaling.jobsPerReplica),
            },
            authenticationRef: { name: auth },
          },
        ],
      },
    },
    {
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'TriggerAuthentication',
      metadata: { name: auth, labels: labels(service.name) },
      spec: { secretTargetRef: [{ parameter: 'connection', name: SECRET_NAME, key: 'DATABASE_URL' }] },
    },
  ];
}

/** Every generated file: path under the repo root -> contents. */
export function renderManifests(): Map<string, string> {
  const files = new Map<string, string>([['deploy/compose.yaml', renderCompose()]]);
  for (const service of platform) {
    files.set(
      `deploy/k8s/${service.name}.yaml`,
      `${HEADER}\n${toYamlDocuments([deployment(service), k8sService(service)])}`,
    );
    if (service.queueScaling) {
      files.set(
        `deploy/k8s/${service.name}-keda.yaml`,
        `${HEADER}\n${toYamlDocuments(scaledObject(service))}`,
      );
    }
  }
  return files;
}
