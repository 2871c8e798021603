/**
 * Test helper: starts the notifications service (src/main.ts) as a real process on a test
 * database, with short retry delays through its ordinary configuration
 * (NOTIFICATIONS_RETRY_DELAY_SECONDS=1), and a small HTTP caller.
 */
import { fileURLToPath } from 'node:url';
import { type ServiceProcess, spawnService } from '@bosun/testing';

export const entry = fileURLToPath(new URL('../src/main.ts', import.meta.url));

/** 32+ characters, like production requires; tests verify signatures with it. */
export const TEST_SECRET = 'test-webhook-secret-0123456789abcdef';

export interface Started {
  proc: ServiceProcess;
  api: string;
  mcp: string;
}

export async function startNotifications(
  databaseUrl: string,
  env: Record<string, string | undefined> = {},
): Promise<Started> {
  const proc = spawnService({
    entry,
    env: {
      DATABASE_URL: databaseUrl,
      PORT: '0',
      HEALTH_PORT: '0',
      LOG_LEVEL: 'debug',
      NOTIFICATIONS_WEBHOOK_SECRET: TEST_SECRET,
      NOTIFICATIONS_RETRY_DELAY_SECONDS: '1',
      NOTIFICATIONS_DELIVERY_TIMEOUT_MS: '3000',
      ...env,
    },
  });
  const serving = JSON.parse(await proc.waitForLine(/"msg":"serving"/, 30_000)) as {
    http: string[];
    mcp: string[];
  };
  return { proc, api: serving.http[0]!, mcp: serving.mcp[0]! };
}

// biome-ignore lint/suspicious/noExplicitAny: test bodies are read field by field; each test asserts the shape it reads.
export interface Reply<T = any> {
  status: number;
  body: T;
}

// biome-ignore lint/suspicious/noExplicitAny: as for Reply.
export async function call<T = any>(
  api: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<Reply<T>> {
  const res = await fetch(`${api}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as T) : (undefined as T) };
}
