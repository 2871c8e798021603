/**
 * Test helper: starts the users service (src/main.ts) as a real process on a test
 * database and gives an HTTP caller that remembers every response body, so a test can
 * check that no password ever appeared in one.
 */
import { fileURLToPath } from 'node:url';
import { type ServiceProcess, spawnService } from '@bosun/testing';

export const entry = fileURLToPath(new URL('../src/main.ts', import.meta.url));

export interface Started {
  proc: ServiceProcess;
  api: string;
  mcp: string;
}

/** scrypt at N=2^15 keeps the suite fast; production uses the OWASP default (2^17). */
export async function startUsers(databaseUrl: string, env: Record<string, string> = {}): Promise<Started> {
  const proc = spawnService({
    entry,
    env: {
      DATABASE_URL: databaseUrl,
      PORT: '0',
      HEALTH_PORT: '0',
      LOG_LEVEL: 'debug',
      USERS_SCRYPT_LOG_N: '15',
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
  contentType: string | null;
}

export function httpClient(api: string) {
  const seen: string[] = [];
  // biome-ignore lint/suspicious/noExplicitAny: as for Reply.
  async function call<T = any>(
    method: string,
    path: string,
    body?: unknown,
    token?: string,
  ): Promise<Reply<T>> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (token) headers.authorization = `Bearer ${token}`;
    const res = await fetch(`${api}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    seen.push(text);
    return {
      status: res.status,
      body: text ? (JSON.parse(text) as T) : (undefined as T),
      contentType: res.headers.get('content-type'),
    };
  }
  return { call, seen };
}

/** The payload of a JWT, without verifying it (the JWKS test verifies). */
export function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
}
