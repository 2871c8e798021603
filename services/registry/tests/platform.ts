/**
 * Test helper: the registry (src/main.ts) and the worker fixture as real processes on a
 * test database and a real NATS, on a bus root of their own, with short heartbeats.
 */
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { natsUrl, type ServiceProcess, spawnService } from '@bosun/testing';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';

const registryEntry = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const workerEntry = fileURLToPath(new URL('./fixtures/worker-service.ts', import.meta.url));

export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef-0123456789';
// Short enough for a quick test, long enough that a loaded 2-core machine never misses a beat by 0.75 of one.
export const HEARTBEAT_MS = 1000;

export interface Running {
  proc: ServiceProcess;
  api: string;
  health: string;
}

export function busRoot(): string {
  return `t_reg_${randomBytes(3).toString('hex')}`;
}

function baseEnv(databaseUrl: string, root: string): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    NATS_URL: natsUrl()!,
    BUS_SUBJECT_ROOT: root,
    PORT: '0',
    HEALTH_PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    HEARTBEAT_INTERVAL_MS: String(HEARTBEAT_MS),
  };
}

async function started(proc: ServiceProcess): Promise<Running> {
  const serving = JSON.parse(await proc.waitForLine(/"msg":"serving"/, 30_000)) as {
    http: string[];
    health: string;
  };
  return { proc, api: serving.http[0]!, health: serving.health };
}

export function startRegistry(databaseUrl: string, root: string, env: Record<string, string> = {}) {
  return started(
    spawnService({
      entry: registryEntry,
      env: {
        ...baseEnv(databaseUrl, root),
        REGISTRY_ADMIN_TOKEN: ADMIN_TOKEN,
        REGISTRY_REFRESH_MS: '250',
        ...env,
      },
    }),
  );
}

export function startWorker(databaseUrl: string, root: string, env: Record<string, string> = {}) {
  return started(spawnService({ entry: workerEntry, env: { ...baseEnv(databaseUrl, root), ...env } }));
}

/** Deletes the JetStream streams the processes created under `root`. */
export async function dropStreams(root: string): Promise<void> {
  const nc = await connect({ servers: natsUrl()! });
  try {
    const jsm = await jetstreamManager(nc);
    for (const name of [`${root.toUpperCase()}_EVENTS`, `${root.toUpperCase()}_DLQ`]) {
      await jsm.streams.delete(name).catch(() => {});
    }
  } finally {
    await nc.close();
  }
}

// biome-ignore lint/suspicious/noExplicitAny: test bodies are read field by field; each test asserts the shape it reads.
export async function call<T = any>(
  api: string,
  method: string,
  path: string,
  options: { body?: unknown; token?: string } = {},
): Promise<{ status: number; body: T }> {
  const headers: Record<string, string> = {};
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const res = await fetch(`${api}${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

export async function enqueue(worker: string, job: string, items: Array<Record<string, unknown>>) {
  const res = await call<{ ids: string[] }>(worker, 'POST', '/enqueue', { body: { job, items } });
  if (res.status !== 200) throw new Error(`enqueue failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.ids;
}
