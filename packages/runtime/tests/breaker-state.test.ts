/**
 * Circuit-breaker state, wired by the runtime: `bosun_bus_breaker_state{target}` on
 * /metrics (0 closed, 2 open) and the bus check's `breakers` details on /readyz, which
 * stays 200 while a breaker is open (BREAKER_IS_NOT_READINESS). One process, the
 * in-process bus: calls to a service nobody serves fail until its breaker opens.
 */
import { defineService, operation } from '@bosun/core';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { z } from 'zod';
import type { App } from '../src/early-parts.js';
import { createApp, loadAppConfig } from '../src/index.js';

const echo = defineService({
  name: 'echo',
  operations: {
    ping: operation({
      input: z.object({}),
      output: z.object({ pong: z.boolean() }),
      handler: () => ({ pong: true }),
    }),
  },
});

describe('breaker state in metrics and /readyz', () => {
  let app: App;
  beforeAll(async () => {
    const config = loadAppConfig([echo], { PORT: '0', HEALTH_PORT: '0', HOST: '127.0.0.1' });
    app = await createApp({ services: [echo], config, log: pino({ level: 'silent' }) });
    await app.start();
  });
  afterAll(async () => {
    await app?.stop();
  });

  test('an open breaker shows as 2 in bosun_bus_breaker_state and in /readyz details, and /readyz stays 200', async () => {
    const call = app.context('echo')({ transport: 'internal' }).call!;
    await expect(call('echo', 'ping', {})).resolves.toEqual({ pong: true });
    const codes: string[] = [];
    for (let i = 0; i < 8; i++) {
      codes.push(
        await call('ghost', 'ping', {}).then(
          () => 'ok',
          (e: { code: string }) => e.code,
        ),
      );
    }
    expect(codes[0]).toBe('BOSUN_BUS_NO_RESPONDERS');
    expect(codes.at(-1)).toBe('BOSUN_BUS_CIRCUIT_OPEN');

    const metrics = await app.metrics.render();
    const state = (target: string) =>
      metrics.match(
        new RegExp(`^bosun_bus_breaker_state\\{[^}]*target="${target}"[^}]*\\} (\\d)$`, 'm'),
      )?.[1];
    expect(state('echo')).toBe('0');
    expect(state('ghost')).toBe('2');

    const res = await fetch(`${app.health.url}/readyz`);
    expect(res.status).toBe(200);
    const report = (await res.json()) as {
      status: string;
      checks: Record<string, { ok: boolean; details?: unknown }>;
    };
    expect(report.status).toBe('ok');
    expect(report.checks.bus).toMatchObject({
      ok: true,
      details: { breakers: { echo: 'closed', ghost: 'open' } },
    });
  });
});
