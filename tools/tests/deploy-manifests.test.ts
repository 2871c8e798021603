/**
 * deploy/: the compose file and the Kubernetes manifests are rendered from
 * tools/deploy/platform.ts (`npm run deploy:manifests`). No YAML parser is installed, so the
 * checks read the model, diff the committed files against a fresh render, and make
 * line-based assertions on the text an operator applies. The KEDA query runs against a
 * real queue schema.
 */
import { execFileSync } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createQueue } from '@bosun/queue';
import { useTestDatabase } from '@bosun/testing';
import pg from 'pg';
import { describe, expect, test } from 'vitest';
import { queueDepthQuery, renderManifests } from '../deploy/manifests.js';
import { DRAIN_TIMEOUT_MS, platform, privateKeySecret, secretNames } from '../deploy/platform.js';
import { repoRoot } from './dockerfile.js';

const read = (path: string) => readFileSync(join(repoRoot, path), 'utf8');
const serviceDirs = readdirSync(join(repoRoot, 'services'), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

/** The lines of a top-level compose service: from `  <name>:` to the next key at that indent. */
function composeBlock(compose: string, name: string): string[] {
  const lines = compose.split('\n');
  const start = lines.indexOf(`  ${name}:`);
  expect(start, `compose.yaml has no service "${name}"`).toBeGreaterThan(-1);
  const end = lines.findIndex((line, i) => i > start && /^ {0,2}\S/.test(line));
  return lines.slice(start + 1, end);
}

/** The lines of a YAML block that starts with `key:` (first match), up to the next line at its indent or less. */
function blockAfter(lines: string[], key: string): string[] {
  const start = lines.findIndex((l) => l.trim() === `${key}:`);
  expect(start, `no "${key}:" block`).toBeGreaterThan(-1);
  const indent = lines[start]!.search(/\S/);
  const end = lines.findIndex((l, i) => i > start && l.trim() !== '' && l.search(/\S/) <= indent);
  return lines.slice(start + 1, end === -1 ? undefined : end);
}

test('the committed deploy files are what npm run deploy:manifests renders', () => {
  const files = renderManifests();
  for (const [path, text] of files) {
    expect(existsSync(join(repoRoot, path)), `${path} is missing: run npm run deploy:manifests`).toBe(true);
    expect(read(path), `${path} is stale: run npm run deploy:manifests`).toBe(text);
  }
  const k8s = readdirSync(join(repoRoot, 'deploy/k8s')).map((f) => `deploy/k8s/${f}`);
  expect(k8s.filter((f) => !files.has(f))).toEqual([]);
});

test('every directory under services/ is deployed (EVERY_SERVICE_DEPLOYED)', () => {
  expect(serviceDirs).toEqual(expect.arrayContaining(['gateway', 'notifications', 'registry', 'users']));
  expect(
    platform.map((s) => s.name).sort(),
    'add the service to tools/deploy/platform.ts and run npm run deploy:manifests',
  ).toEqual(serviceDirs);
});

describe('deploy/compose.yaml', () => {
  const compose = read('deploy/compose.yaml');

  test('runs PostgreSQL 15 and NATS with JetStream, each with a healthcheck', () => {
    expect(composeBlock(compose, 'postgres')).toEqual(
      expect.arrayContaining(['    image: postgres:15-bookworm', expect.stringContaining('pg_isready')]),
    );
    const nats = composeBlock(compose, 'nats').join('\n');
    expect(nats).toMatch(/command: \["-js", "-sd", \/data/);
    expect(nats).toContain('healthz?js-enabled-only=true');
  });

  test.each(serviceDirs)(
    'wires %s by env, checks its /readyz, and starts it after its dependencies',
    (name) => {
      const block = composeBlock(compose, name);
      const text = block.join('\n');
      const env = blockAfter(block, 'environment').map((l) => l.trim().split(':')[0]);
      expect(env).toEqual(
        expect.arrayContaining([
          'NODE_ENV',
          'DATABASE_URL',
          'NATS_URL',
          'SERVICE_PRIVATE_KEY',
          'SERVICE_TRUSTED_KEYS',
          'HEALTH_PORT',
        ]),
      );
      expect(text).toContain(`dockerfile: services/${name}/Dockerfile`);
      expect(text).toContain(`SERVICE_PRIVATE_KEY: "\${${privateKeySecret(name)}:?`);
      expect(text).toContain("fetch('http://127.0.0.1:9000/readyz')");
      expect(text).toContain('      HEALTH_PORT: "9000"');
      const dependsOn = blockAfter(block, 'depends_on').join('\n');
      expect(dependsOn).toMatch(/postgres:\n\s+condition: service_healthy/);
      expect(dependsOn).toMatch(/nats:\n\s+condition: service_healthy/);
      const grace = Number(/stop_grace_period: (\d+)s/.exec(text)?.[1]);
      expect(grace * 1000, 'GRACE_COVERS_DRAIN').toBeGreaterThan(DRAIN_TIMEOUT_MS);
    },
  );

  test('names secrets, never holds them (SECRETS_BY_REFERENCE)', () => {
    for (const name of secretNames()) expect(compose).toContain(`\${${name}:?`);
    expect(compose).not.toMatch(/"kty"|PRIVATE KEY|"d":/);
  });
});

describe.each(serviceDirs)('deploy/k8s/%s.yaml', (name) => {
  const path = `deploy/k8s/${name}.yaml`;
  const text = existsSync(join(repoRoot, path)) ? read(path) : '';
  const lines = text.split('\n');

  test('is a Deployment and a Service', () => {
    expect(lines.filter((l) => l.startsWith('kind: '))).toEqual(['kind: Deployment', 'kind: Service']);
    expect(text).toContain(`  name: ${name}\n`);
  });

  test('probes /livez (liveness, startup) and /readyz (readiness) on the health port', () => {
    expect(text).toMatch(/- name: health\n\s+containerPort: 9000/);
    for (const [probe, path] of [
      ['startupProbe', '/livez'],
      ['livenessProbe', '/livez'],
      ['readinessProbe', '/readyz'],
    ] as const) {
      const block = blockAfter(lines, probe).map((l) => l.trim());
      expect(block, probe).toEqual(expect.arrayContaining([`path: ${path}`, 'port: health']));
    }
  });

  test('its grace period covers preStop plus DRAIN_TIMEOUT_MS (GRACE_COVERS_DRAIN)', () => {
    const grace = Number(/terminationGracePeriodSeconds: (\d+)/.exec(text)?.[1]);
    const preStop = Number(/command: \[sleep, "(\d+)"\]/.exec(text)?.[1]);
    const drainMs = Number(/- name: DRAIN_TIMEOUT_MS\n\s+value: "(\d+)"/.exec(text)?.[1]);
    expect(drainMs).toBe(DRAIN_TIMEOUT_MS);
    expect(grace).toBeGreaterThan(preStop + drainMs / 1000);
  });

  test('requests resources, runs as 1001, and takes secrets from bosun-secrets', () => {
    const resources = blockAfter(lines, 'resources').map((l) => l.trim());
    expect(resources).toEqual(expect.arrayContaining(['requests:', 'limits:']));
    expect(resources.some((l) => l.startsWith('cpu: '))).toBe(true);
    expect(text).toContain('runAsUser: 1001');
    expect(text).toMatch(
      new RegExp(
        `- name: SERVICE_PRIVATE_KEY\\n\\s+valueFrom:\\n\\s+secretKeyRef:\\n\\s+name: bosun-secrets\\n\\s+key: ${privateKeySecret(name)}`,
      ),
    );
    expect(text).not.toMatch(/"kty"|PRIVATE KEY/);
  });
});

describe('the KEDA ScaledObject for notifications', () => {
  const text = read('deploy/k8s/notifications-keda.yaml');
  const db = useTestDatabase({ label: 'keda' });

  test('scales the notifications Deployment on a PostgreSQL trigger over the queue', () => {
    expect(text).toMatch(/kind: ScaledObject\n[\s\S]*scaleTargetRef:\n\s+name: notifications\n/);
    expect(text).toContain('- type: postgresql');
    expect(text).toMatch(/kind: TriggerAuthentication[\s\S]*parameter: connection\n\s+name: bosun-secrets/);
    const notifications = read('deploy/k8s/notifications.yaml');
    expect(notifications, 'KEDA owns the replica count').not.toMatch(/^ {2}replicas:/m);
  });

  test("its query counts due and running jobs in the queue's real table, and not future ones", async () => {
    const query = JSON.parse(/query: ("[^\n]+")/.exec(text)![1]!) as string;
    const queue = createQueue({ db: db.url });
    await queue.start();
    try {
      await queue.send('deliver-notification', { n: 1 });
      await queue.send('deliver-notification', { n: 2 });
      await queue.send('send-email', { n: 3 }, { startAfter: 3600 });
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      try {
        const count = async (q: string) => Number((await client.query<{ count: string }>(q)).rows[0]!.count);
        expect(await count(query)).toBe(2);
        expect(await count(queueDepthQuery(['send-email']))).toBe(0);
        expect(await count(queueDepthQuery(['deliver-notification', "o'brien"]))).toBe(2);
      } finally {
        await client.end();
      }
    } finally {
      await queue.stop({ graceful: false, timeoutMs: 0 });
    }
  });
});

test('npm run deploy:keys prints every secret the manifests name, with matching key pairs', () => {
  const out = execFileSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'tools/deploy-keys.ts')], {
    encoding: 'utf8',
  });
  const values = new Map(
    out
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)] as const),
  );
  expect([...values.keys()]).toEqual(expect.arrayContaining(secretNames()));
  for (const [name, value] of values) expect(value, name).toMatch(/^[^\s#$'"][^\s#$]*$/);
  const trusted = JSON.parse(values.get('SERVICE_TRUSTED_KEYS')!) as Record<string, { x: string }>;
  expect(Object.keys(trusted).sort()).toEqual(serviceDirs);
  for (const service of serviceDirs) {
    const own = JSON.parse(values.get(privateKeySecret(service))!) as Record<string, string>;
    const publicJwk = createPublicKey({ key: own as never, format: 'jwk' }).export({ format: 'jwk' });
    expect(publicJwk.x, `${service}'s trusted key is the public half of its private key`).toBe(
      trusted[service]!.x,
    );
  }
  expect(values.get('DATABASE_URL')).toContain(`:${values.get('POSTGRES_PASSWORD')}@postgres:5432/`);
});
