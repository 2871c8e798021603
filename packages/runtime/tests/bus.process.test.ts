/**
 * Services calling services across processes over a real NATS, wired by the runtime:
 * typed RPC with a service token checked by the callee (development keys learned from
 * heartbeats), coded errors crossing the wire, and events delivered to the subscriber.
 */
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { describeWithNats, natsUrl, spawnService } from '@bosun/testing';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { afterAll, expect, test } from 'vitest';

const entry = fileURLToPath(new URL('./fixtures/ping-pong.ts', import.meta.url));

describeWithNats('two services over NATS, wired by the runtime', () => {
  const suffix = randomBytes(3).toString('hex');
  const root = `t_rt_${suffix}`;

  afterAll(async () => {
    const nc = await connect({ servers: natsUrl()! });
    const jsm = await jetstreamManager(nc);
    for (const name of [`${root.toUpperCase()}_EVENTS`, `${root.toUpperCase()}_DLQ`]) {
      await jsm.streams.delete(name).catch(() => {});
    }
    await nc.close();
  });

  test('a typed call carries a verified service token; errors keep their code; events arrive', async () => {
    const env = {
      NATS_URL: natsUrl()!,
      BUS_SUBJECT_ROOT: root,
      PINGPONG_SUFFIX: suffix,
      PORT: '0',
      HEALTH_PORT: '0',
      HEARTBEAT_INTERVAL_MS: '200',
    };
    const pong = spawnService({ entry, env: { ...env, ROLE: 'ponger' } });
    await pong.waitForLine(/"msg":"serving"/, 30_000);
    const ping = spawnService({ entry, env: { ...env, ROLE: 'pinger' } });
    const serving = JSON.parse(await ping.waitForLine(/"msg":"serving"/, 30_000)) as { http: string[] };
    const api = serving.http[0]!;

    const call = (n: number) =>
      fetch(`${api}/ping`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ n }),
      });

    // The callee learns the caller's development key from its heartbeat (every 200 ms).
    let res = await call(1);
    for (let i = 0; i < 50 && res.status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 200));
      res = await call(1);
    }
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ n: 2, caller: `pinger-${suffix}` });

    const failed = await call(-1);
    expect(failed.status).toBe(500);
    expect(await failed.json()).toMatchObject({
      code: 'BOSUN_INTERNAL',
      detail: 'negative numbers are not pongable',
    });

    await pong.waitForLine(/pinged event received/, 15_000);

    ping.kill('SIGTERM');
    pong.kill('SIGTERM');
    expect((await ping.exited).code).toBe(0);
    expect((await pong.exited).code).toBe(0);
  });
});
