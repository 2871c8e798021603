/**
 * The registry in one process with another service (the one-process platform): the
 * in-process bus carries the heartbeats, both services announce the process's single health
 * server, and one readiness poll answers for both (ONE_POLL_PER_HEALTH_SERVER).
 */

import { type App, createApp, loadAppConfig } from '@bosun/runtime';
import { useTestDatabase } from '@bosun/testing';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createRegistry } from '../src/service.js';
import { worker } from './fixtures/worker-definition.js';

describe('the registry beside another service in one process', () => {
  const db = useTestDatabase({ label: 'registry_one' });
  let app: App;
  let api: string;

  beforeAll(async () => {
    const registry = createRegistry();
    const services = [registry.service, worker];
    const config = loadAppConfig(services, {
      DATABASE_URL: db.url,
      PORT: '0',
      HEALTH_PORT: '0',
      HOST: '127.0.0.1',
      HEARTBEAT_INTERVAL_MS: '200',
      REGISTRY_REFRESH_MS: '200',
    });
    app = await createApp({
      services,
      config,
      log: pino({ level: 'silent' }),
      extensions: { registry: registry.extension },
    });
    await app.start();
    api = app.http.get('registry')!.url!;
  });

  afterAll(async () => {
    await app?.stop();
  });

  test('both services are listed, healthy, on the one shared health port', async () => {
    type Listed = {
      services: Array<{ name: string; healthy: number; instances: Array<{ ports: { health: number } }> }>;
    };
    await expect
      .poll(async () => {
        const body = (await (await fetch(`${api}/services`)).json()) as Listed;
        return body.services.map((s) => `${s.name}:${s.healthy}`);
      })
      .toEqual(['registry:1', 'worker:1']);
    const body = (await (await fetch(`${api}/services`)).json()) as Listed;
    const ports = body.services.map((s) => s.instances[0]!.ports.health);
    expect(ports[0]).toBe(app.health.port);
    expect(ports[1]).toBe(app.health.port);
  });
});
