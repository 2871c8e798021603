/**
 * Process components (COMPONENTS_START_LAST): a component beside the services starts after
 * every service's transports, with the bus ready, and stops before them; its variables are
 * parsed with the services' in one pass; portOffset moves the services' ports.
 * In-process app (createApp), no database, the in-process bus.
 */
import { type Component, defineService, isBosunError, operation } from '@bosun/core';
import pino from 'pino';
import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { createApp, loadAppConfig } from '../src/index.js';

const echo = defineService({
  name: 'echo',
  env: z.object({
    ECHO_PREFIX: z.string().min(1).default('>'),
    ECHO_TIMES: z.coerce.number().int().min(1).default(1),
  }),
  operations: {
    say: operation({
      input: z.object({ text: z.string() }),
      output: z.object({ text: z.string() }),
      http: 'POST /say',
      handler: ({ text }, ctx) => ({ text: `${(ctx.config as { ECHO_PREFIX: string }).ECHO_PREFIX}${text}` }),
    }),
  },
});

const edgeEnv = z.object({ EDGE_GREETING: z.string().min(3) });

describe('process components', () => {
  test('a component starts after the services are reachable over the bus and HTTP, and stops before them', async () => {
    const events: string[] = [];
    const config = loadAppConfig(
      [echo],
      { PORT: '0', HEALTH_PORT: '0', HOST: '127.0.0.1', EDGE_GREETING: 'hello' },
      [edgeEnv],
    );
    expect(config.EDGE_GREETING).toBe('hello');
    const app = await createApp({
      services: [echo],
      config,
      log: pino({ level: 'silent' }),
      components: {
        env: edgeEnv,
        create: ({ transport }): Component => ({
          name: 'edge',
          async start() {
            // The service's HTTP server is listening and the bus serves its RPC subject.
            events.push(`start: http ${app.http.get('echo')?.url ? 'up' : 'down'}, bus ${transport().kind}`);
          },
          async stop() {
            // Every component drained first (503 now), but the service's server is not closed yet.
            const url = app.http.get('echo')!.url!;
            const status = await fetch(`${url}/openapi.json`).then(
              (r) => String(r.status),
              () => 'closed',
            );
            events.push(`stop: http ${status}`);
          },
        }),
      },
    });
    await app.start();
    expect(app.lifecycle.isReady()).toBe(true);
    await app.stop();
    expect(events).toEqual(['start: http up, bus in-process', 'stop: http 503']);
  });

  test("the components' variables are checked with the services': one error lists both", () => {
    let error: unknown;
    try {
      loadAppConfig([echo], { ECHO_TIMES: 'many', EDGE_GREETING: 'x' }, [edgeEnv]);
    } catch (e) {
      error = e;
    }
    expect(isBosunError(error, 'BOSUN_CONFIG_INVALID')).toBe(true);
    expect((error as Error).message).toContain('EDGE_GREETING: invalid');
    expect((error as Error).message).toContain('ECHO_TIMES: invalid');
  });

  test('portOffset moves every service port: service i listens on PORT + portOffset + i', async () => {
    const base = 40_000 + Math.floor(Math.random() * 20_000);
    const config = loadAppConfig([echo], { PORT: String(base), HEALTH_PORT: '0', HOST: '127.0.0.1' });
    const app = await createApp({ services: [echo], config, log: pino({ level: 'silent' }), portOffset: 1 });
    await app.start();
    try {
      expect(new URL(app.http.get('echo')!.url!).port).toBe(String(base + 1));
    } finally {
      await app.stop();
    }
  });
});
