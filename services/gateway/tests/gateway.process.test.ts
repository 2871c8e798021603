/**
 * The gateway's own process (src/main.ts, spawned) runs under @bosun/runtime's runService over a
 * real NATS: one `serving` log naming the edge (PORT) and the health server, no HTTP server of the
 * runtime's for `gateway` and one heartbeat key for it (SERVED_BY_A_COMPONENT), and, with
 * OTEL_EXPORTER_OTLP_ENDPOINT set, a client span per forwarded request exported to a local
 * OTLP/HTTP receiver (the runtime's tracing component, flushed on SIGTERM; exit code 0).
 */
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import {
  createNatsTransport,
  type Heartbeat,
  type HeartbeatMessage,
  type RpcServer,
  serveRpc,
  startHeartbeat,
  type Transport,
} from '@bosun/bus';
import { createLogger, defineService, operation } from '@bosun/core';
import { describeWithNats, natsUrl, spawnService, startOtlpReceiver } from '@bosun/testing';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { z } from 'zod';

const entry = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const log = createLogger({ service: 'test', instance: 'test', level: 'silent' });
/** OTLP/JSON SpanKind of a client span (the API's CLIENT + 1). */
const CLIENT = 3;

const echo = defineService({
  name: 'echo',
  operations: {
    hello: operation({
      input: z.object({ name: z.string() }),
      output: z.object({ greeting: z.string() }),
      http: 'GET /hello',
      public: true,
      handler: ({ name }) => ({ greeting: `hello ${name}` }),
    }),
  },
});

interface OtlpBody {
  resourceSpans: Array<{
    resource: { attributes: Array<{ key: string; value: { stringValue?: string } }> };
    scopeSpans: Array<{ spans: Array<{ name: string; kind: number; traceId: string }> }>;
  }>;
}

const startReceiver = () => startOtlpReceiver<OtlpBody>();

describeWithNats('the gateway as its own process under runService', () => {
  const root = `t_gwp_${randomBytes(3).toString('hex')}`;
  const TRACE_ID = randomBytes(16).toString('hex');
  let bus: Transport;
  let rpc: RpcServer;
  let beat: Heartbeat;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const gatewayBeats: HeartbeatMessage[] = [];

  beforeAll(async () => {
    receiver = await startReceiver();
    bus = await createNatsTransport({ servers: natsUrl()!, root, name: 'gateway-process-test' });
    await bus.subscribe(bus.subjects.heartbeat, (m) => {
      const message = JSON.parse(new TextDecoder().decode(m.data)) as HeartbeatMessage;
      if (message.service === 'gateway') gatewayBeats.push(message);
    });
    // The callee takes any caller: this test is about the gateway's process, not token checks.
    rpc = await serveRpc(bus, echo, { log });
    beat = await startHeartbeat(bus, echo, { intervalMs: 300 });
  });

  afterAll(async () => {
    await beat?.stop();
    await rpc?.close();
    await bus?.close();
    await receiver?.close();
  });

  test('serves the edge on PORT, beats once as gateway, and exports a client span per forwarded request', async () => {
    const proc = spawnService({
      entry,
      env: {
        PATH: process.env.PATH,
        NATS_URL: natsUrl()!,
        BUS_SUBJECT_ROOT: root,
        PORT: '0',
        HEALTH_PORT: '0',
        HOST: '127.0.0.1',
        HEARTBEAT_INTERVAL_MS: '300',
        LOG_LEVEL: 'info',
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      },
    });
    const serving = JSON.parse(await proc.waitForLine(/"msg":"serving"/, 30_000)) as {
      service: string;
      http: string[];
      health: string;
      mcp: string[];
    };
    // The edge is the process's only HTTP surface: the runtime opened none for `gateway`.
    expect(serving.service).toBe('gateway');
    expect(serving.http).toHaveLength(1);
    expect(serving.mcp).toEqual([`${serving.http[0]}/mcp`]);
    expect((await fetch(`${serving.health}/readyz`)).status).toBe(200);
    expect((await fetch(`${serving.http[0]}/openapi.json`)).status).toBe(200);

    const traceparent = `00-${TRACE_ID}-${randomBytes(8).toString('hex')}-01`;
    const call = () => fetch(`${serving.http[0]}/api/echo/hello?name=ada`, { headers: { traceparent } });
    let response = await call();
    for (let i = 0; i < 100 && response.status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 100));
      response = await call();
    }
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ greeting: 'hello ada' });

    // One key for `gateway` on the registry: the edge's own heartbeat, not a second one of the runtime's.
    for (let i = 0; i < 100 && gatewayBeats.length < 4; i++) await new Promise((r) => setTimeout(r, 100));
    expect(gatewayBeats.length).toBeGreaterThanOrEqual(4);
    expect(new Set(gatewayBeats.map((b) => JSON.stringify(b.publicKey))).size).toBe(1);
    expect(gatewayBeats[0]!.publicKey).toBeDefined();
    expect(new Set(gatewayBeats.map((b) => b.instance)).size).toBe(1);

    // SPANS_FLUSH_ON_STOP: the runtime's tracing component exports on SIGTERM.
    proc.kill('SIGTERM');
    expect(await proc.exited).toEqual({ code: 0, signal: null });
    const resources = receiver.bodies.flatMap((b) => b.resourceSpans);
    const services = resources.map(
      (r) => r.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue,
    );
    expect(new Set(services)).toEqual(new Set(['gateway']));
    const spans = resources.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));
    const forwarded = spans.filter((s) => s.name === 'rpc echo.hello' && s.kind === CLIENT);
    expect(forwarded.length, spans.map((s) => s.name).join(', ')).toBeGreaterThanOrEqual(1);
    expect(forwarded.some((s) => s.traceId === TRACE_ID)).toBe(true);
  }, 60_000);
});
