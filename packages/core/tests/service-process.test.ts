/**
 * The runtime as a real process (tests/fixtures/slow-service.ts): config errors, health
 * endpoints, and drain on SIGTERM — READY_GATES_INTAKE, DRAIN_IS_BOUNDED,
 * SECOND_SIGNAL_FORCES_EXIT, EXIT_CODE_TELLS_THE_TRUTH.
 */
import { fileURLToPath } from 'node:url';
import { serverUrl, spawnService, useLeakCheck } from '@bosun/testing';
import { describe, expect, test } from 'vitest';
import { freePort } from '../src/postgres/free-port.js';

const entry = fileURLToPath(new URL('./fixtures/slow-service.ts', import.meta.url));

async function start(env: Record<string, string> = {}) {
  const [port, healthPort] = [await freePort(), await freePort()];
  const service = spawnService({
    entry,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      PORT: String(port),
      HEALTH_PORT: String(healthPort),
      DATABASE_URL: serverUrl(),
      ...env,
    },
  });
  return { service, app: `http://127.0.0.1:${port}`, health: `http://127.0.0.1:${healthPort}` };
}

interface Readiness {
  status: string;
  state: string;
  checks: Record<string, { ok: boolean; error?: string }>;
}

const fetchJson = async (url: string) => {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as Readiness };
};

describe('a service process', () => {
  useLeakCheck();

  test('bad env: exits 1 and stderr lists every bad variable by name, never a value', async () => {
    const { service } = await start({
      PORT: 'eighty',
      HEALTH_PORT: '99999',
      LOG_LEVEL: 'chatty',
      DRAIN_TIMEOUT_MS: 'soon',
      NODE_ENV: 'staging',
      DEPENDENCY_DELAY_MS: 'later',
      GREETING_SECRET: 'xyz',
      DATABASE_URL: 'not-a-url-with-password-hunter2',
    });
    const { code } = await service.exited;
    expect(code).toBe(1);
    for (const name of [
      'PORT',
      'HEALTH_PORT',
      'LOG_LEVEL',
      'DRAIN_TIMEOUT_MS',
      'NODE_ENV',
      'DEPENDENCY_DELAY_MS',
      'GREETING_SECRET',
      'DATABASE_URL',
    ]) {
      expect(service.stderr).toMatch(new RegExp(`^\\s+${name}: invalid`, 'm'));
    }
    expect(service.stderr).toContain('BOSUN_CONFIG_INVALID');
    expect(service.stderr).not.toContain('hunter2');
    expect(service.stderr).not.toContain('xyz');
    expect(service.stdout).toBe('');
  });

  test('/livez answers while dependencies are still starting; /readyz is 503 until they are up, then 200', async () => {
    const { service, health } = await start({ DEPENDENCY_DELAY_MS: '3000' });
    await service.waitForHttp(`${health}/livez`, 200);
    const livezAfterMs = Math.round(performance.now() - service.spawnedAt);
    const listening = service.logs().find((l) => l.msg === 'health server listening');
    // Recorded, not asserted: spawn -> first 200 includes node + tsx boot on this machine.
    console.log(
      `[latency] /livez first 200 at ${livezAfterMs} ms after spawn; health listening at process uptime ${listening?.uptimeMs} ms`,
    );

    const early = await fetchJson(`${health}/readyz`);
    expect(early.status).toBe(503);
    expect(early.body).toMatchObject({ status: 'unavailable', state: 'starting' });

    const ready = await service.waitForHttp(`${health}/readyz`, 200);
    expect(JSON.parse(ready.body)).toMatchObject({
      status: 'ok',
      state: 'ready',
      checks: { database: { ok: true } },
    });
    const metrics = await fetch(`${health}/metrics`).then((r) => r.text());
    expect(metrics).toContain('process_resident_memory_bytes');
    expect(metrics).toContain('service="slow-service"');
    service.kill('SIGTERM');
    expect((await service.exited).code).toBe(0);
  });

  test('with PostgreSQL unreachable, /readyz is 503 naming the database check, and /livez stays 200', async () => {
    const closed = await freePort();
    const { service, health } = await start({
      DATABASE_URL: `postgres://app:pw-secret@127.0.0.1:${closed}/app`,
    });
    await service.waitForLine(/"msg":"ready"/);
    const res = await fetchJson(`${health}/readyz`);
    expect(res.status).toBe(503);
    expect(res.body.status).toBe('unavailable');
    expect(res.body.checks.database?.ok).toBe(false);
    expect(res.body.checks.database?.error).toContain(`PostgreSQL at 127.0.0.1:${closed}/app is unavailable`);
    expect(JSON.stringify(res.body)).not.toContain('pw-secret');
    expect((await fetch(`${health}/livez`)).status).toBe(200);
    service.kill('SIGTERM');
    expect((await service.exited).code).toBe(0);
  });

  test('SIGTERM during a slow request: /readyz is 503 at once, new requests are refused, the request completes, exit 0', async () => {
    const { service, app, health } = await start({ DRAIN_TIMEOUT_MS: '10000' });
    await service.waitForHttp(`${health}/readyz`, 200);
    const slow = fetch(`${app}/slow?ms=3000`).then(async (r) => ({ status: r.status, body: await r.text() }));
    await service.waitForLine(/slow request started/);

    service.kill('SIGTERM');
    await service.waitForLine(/signal received: draining/);
    const readyz = await fetchJson(`${health}/readyz`);
    expect(readyz.status).toBe(503);
    expect(readyz.body).toMatchObject({ status: 'unavailable', state: 'draining' });
    const refused = await fetch(`${app}/slow?ms=1`).then(
      (r) => r.status,
      () => 'connection refused',
    );
    expect([503, 'connection refused']).toContain(refused);

    expect(await slow).toEqual({ status: 200, body: 'done' });
    const exit = await service.exited;
    expect(exit).toEqual({ code: 0, signal: null });
    expect(service.logs().find((l) => l.msg === 'stopped')).toMatchObject({ ok: true });
    expect(service.logs().some((l) => l.abandoned)).toBe(false);
  });

  test('work still running at the drain deadline: exit 1, and the log names what was abandoned', async () => {
    const { service, app, health } = await start({ DRAIN_TIMEOUT_MS: '300' });
    await service.waitForHttp(`${health}/readyz`, 200);
    const slow = fetch(`${app}/slow?ms=20000`).catch((e: Error) => e);
    await service.waitForLine(/slow request started/);
    service.kill('SIGTERM');
    const exit = await service.exited;
    expect(exit.code).toBe(1);
    const abandoned = service.logs().find((l) => l.abandoned);
    expect(abandoned).toMatchObject({ level: 'error', target: 'http', abandoned: ['GET /slow?ms=20000'] });
    expect(await slow).toBeInstanceOf(Error);
  });

  test('a second SIGTERM exits 1 at once, without waiting for the drain', async () => {
    const { service, app, health } = await start({ DRAIN_TIMEOUT_MS: '60000' });
    await service.waitForHttp(`${health}/readyz`, 200);
    const slow = fetch(`${app}/slow?ms=30000`).then(
      () => 'completed',
      () => 'cut off',
    );
    await service.waitForLine(/slow request started/);
    service.kill('SIGTERM');
    await service.waitForLine(/signal received: draining/);
    // Past the duplicate window: this is an operator's second signal, not a relayed copy.
    await new Promise((r) => setTimeout(r, 1200));
    service.kill('SIGTERM');
    const exit = await service.exited;
    expect(exit.code).toBe(1);
    // The request had 30 s to go and the drain 60 s: exiting while it was in flight is the proof.
    expect(await slow).toBe('cut off');
    expect(service.stdout).toContain('second signal');
  });
});
