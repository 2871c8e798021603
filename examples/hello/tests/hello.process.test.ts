/**
 * hello as a user runs it: the real entry point (src/main.ts) in its own process, on a
 * real PostgreSQL, driven over HTTP and signals.
 */
import { fileURLToPath } from 'node:url';
import { type ServiceProcess, spawnService, useTestDatabase } from '@bosun/testing';
import { describe, expect, test } from 'vitest';

const entry = fileURLToPath(new URL('../src/main.ts', import.meta.url));

describe('hello, the example service, as a process', () => {
  const db = useTestDatabase({ label: 'hello' });

  async function start(
    env: Record<string, string> = {},
  ): Promise<{ proc: ServiceProcess; api: string; health: string }> {
    const proc = spawnService({
      entry,
      env: {
        DATABASE_URL: db.url,
        PORT: '0',
        HEALTH_PORT: '0',
        LOG_LEVEL: 'info',
        DRAIN_TIMEOUT_MS: '5000',
        ...env,
      },
    });
    const line = await proc.waitForLine(/"msg":"serving"/, 30_000);
    const serving = JSON.parse(line) as { http: string[]; health: string };
    return { proc, api: serving.http[0]!, health: serving.health };
  }

  test('a greeting is stored, its delivery job runs, and errors carry codes', async () => {
    const { proc, api, health } = await start();
    const created = await fetch(`${api}/greetings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Ada' }),
    });
    expect(created.status).toBe(200);
    const greeting = (await created.json()) as { id: string; message: string };
    expect(greeting.message).toBe('Hello, Ada!');

    let delivered = false;
    for (let i = 0; i < 100 && !delivered; i++) {
      const res = await fetch(`${api}/greetings/${greeting.id}`);
      delivered = ((await res.json()) as { delivered: boolean }).delivered;
      if (!delivered) await new Promise((r) => setTimeout(r, 100));
    }
    expect(delivered).toBe(true);

    const invalid = await fetch(`${api}/greetings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: '' }),
    });
    expect(invalid.status).toBe(400);
    expect(invalid.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(await invalid.json()).toMatchObject({
      code: 'BOSUN_VALIDATION_FAILED',
      issues: [{ path: 'name' }],
    });

    const missing = await fetch(`${api}/greetings/999999`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ code: 'HELLO_GREETING_NOT_FOUND' });

    const ready = await fetch(`${health}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ checks: { database: { ok: true }, queue: { ok: true } } });

    proc.kill('SIGTERM');
    expect(await proc.exited).toEqual({ code: 0, signal: null });
  });

  test('a restart keeps the data and does not re-run migrations', async () => {
    const first = await start();
    first.proc.kill('SIGTERM');
    await first.proc.exited;
    const second = await start();
    const res = await fetch(`${second.api}/greetings/1`);
    expect(res.status).toBe(200);
    expect(second.proc.logs().some((l) => l.msg === 'migrations applied')).toBe(false);
    second.proc.kill('SIGTERM');
    expect((await second.proc.exited).code).toBe(0);
  });

  test('a bad environment exits 1 and names every bad variable, never a value', async () => {
    const proc = spawnService({
      entry,
      env: {
        DATABASE_URL: 'mysql://secret-password@db',
        PORT: 'eighty',
        LOG_LEVEL: 'loud',
        HEALTH_PORT: '0',
      },
    });
    const exit = await proc.exited;
    expect(exit.code).toBe(1);
    for (const name of ['DATABASE_URL', 'PORT', 'LOG_LEVEL']) expect(proc.stderr).toContain(name);
    expect(proc.stderr).toContain('BOSUN_CONFIG_INVALID');
    expect(proc.stderr).not.toContain('secret-password');
    expect(proc.stderr).not.toContain('eighty');
  });
});
