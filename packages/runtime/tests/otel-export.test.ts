/**
 * EXPORTER_WHEN_CONFIGURED / NO_EXPORTER_REQUIRED (tracing-component.ts), end to end: with
 * OTEL_EXPORTER_OTLP_ENDPOINT set, one HTTP request carrying a traceparent yields spans for the
 * HTTP request, the RPC call (client and server), the event handled and the job run, all in
 * the request's trace and linked parent to child, exported as OTLP/JSON to a local receiver on
 * stop. Without it no provider is registered and nothing is exported, while traceparent still
 * rides the job. Real PostgreSQL, one process, the in-process bus and real NATS.
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { client } from '@bosun/bus';
import {
  coreErrors,
  defineService,
  hasGlobalTracerProvider,
  job,
  operation,
  parseTraceparent,
  subscribe,
} from '@bosun/core';
import { describeWithNats, requireNats, startOtlpReceiver, useTestDatabase } from '@bosun/testing';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { z } from 'zod';
import type { App } from '../src/early-parts.js';
import { createApp, loadAppConfig } from '../src/index.js';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const INCOMING_SPAN = '00f067aa0ba902b7';
const INCOMING = `00-${TRACE_ID}-${INCOMING_SPAN}-01`;
const jobsRun: Array<string | undefined> = [];
const eventsHeard: Array<string | undefined> = [];

const back = defineService({
  name: 'back',
  events: { publishes: { 'stock.reserved': z.object({ sku: z.string() }) } },
  operations: {
    reserve: operation({
      input: z.object({ sku: z.string() }),
      output: z.object({ reserved: z.boolean() }),
      handler: async ({ sku }, ctx) => {
        if (sku === 'gone') throw coreErrors.create('BOSUN_NOT_FOUND', `No stock of ${sku}.`);
        await ctx.events.publish('stock.reserved', { sku });
        return { reserved: true };
      },
    }),
  },
});

const front = defineService({
  name: 'front',
  events: {
    subscribes: {
      'stock.reserved': subscribe({
        schema: z.object({ sku: z.string() }),
        handler: (_data, ctx) => void eventsHeard.push(ctx.traceparent),
      }),
    },
  },
  operations: {
    order: operation({
      input: z.object({ sku: z.string() }),
      output: z.object({ job: z.string(), traceparent: z.string().optional() }),
      http: 'POST /orders',
      handler: async ({ sku }, ctx) => {
        await client<typeof back>(ctx, 'back').reserve({ sku });
        const { id } = await ctx.jobs.send('fulfil', { sku });
        return { job: id, traceparent: ctx.traceparent };
      },
    }),
  },
  jobs: {
    fulfil: job({
      data: z.object({ sku: z.string() }),
      handler: (_data, ctx) => void jobsRun.push(ctx.traceparent),
    }),
  },
});

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes?: Array<{ key: string; value: Record<string, unknown> }>;
  status?: { code?: number };
}
interface OtlpBody {
  resourceSpans: Array<{
    resource: { attributes: Array<{ key: string; value: Record<string, unknown> }> };
    scopeSpans: Array<{ spans: OtlpSpan[] }>;
  }>;
}

const startReceiver = () => startOtlpReceiver<OtlpBody>();

const attr = (span: OtlpSpan, key: string) => {
  const value = span.attributes?.find((a) => a.key === key)?.value;
  return value && Object.values(value)[0];
};

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('the job and the event did not run in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Over NATS every RPC carries a token: one key pair signs for the process, and front is trusted. */
function natsEnv(): Record<string, string> {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    NATS_URL: requireNats(),
    BUS_SUBJECT_ROOT: `otel${randomUUID().slice(0, 8)}`,
    SERVICE_PRIVATE_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    SERVICE_TRUSTED_KEYS: JSON.stringify({
      front: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    }),
  };
}

const post = (app: App, sku: string) =>
  fetch(`${app.http.get('front')!.url}/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', traceparent: INCOMING },
    body: JSON.stringify({ sku }),
  });

const exporting = (bus: 'in-process' | 'nats') => () => {
  const database = useTestDatabase({ label: `runtime_otel_export_${bus.replace('-', '_')}` });
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let spans: OtlpSpan[] = [];
  let serviceNames: unknown[] = [];
  let answered: { job: string; traceparent: string };
  let failedStatus = 0;

  beforeAll(async () => {
    receiver = await startReceiver();
    jobsRun.length = 0;
    eventsHeard.length = 0;
    const config = loadAppConfig([front, back], {
      ...(bus === 'nats' ? natsEnv() : {}),
      DATABASE_URL: database.url,
      PORT: '0',
      HEALTH_PORT: '0',
      HOST: '127.0.0.1',
      OTEL_EXPORTER_OTLP_ENDPOINT: `${receiver.url}/`,
    });
    const app = await createApp({ services: [front, back], config, log: pino({ level: 'silent' }) });
    await app.start();
    try {
      expect(hasGlobalTracerProvider()).toBe(true);
      const ok = await post(app, 'tea');
      expect(ok.status).toBe(200);
      answered = (await ok.json()) as typeof answered;
      failedStatus = (await post(app, 'gone')).status;
      await until(() => jobsRun.length === 1 && eventsHeard.length === 1);
    } finally {
      await app.stop(); // SPANS_FLUSH_ON_STOP: the batch is exported here
    }
    for (const body of receiver.bodies) {
      for (const rs of body.resourceSpans) {
        serviceNames.push(rs.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue);
        for (const ss of rs.scopeSpans) spans.push(...ss.spans);
      }
    }
  });
  afterAll(async () => {
    await receiver?.close();
    spans = [];
    serviceNames = [];
  });

  const one = (name: string, kind: number, index = 0) => {
    const found = spans.filter((s) => s.name === name && s.kind === kind);
    expect(found.length, `${name} (kind ${kind}) in ${spans.map((s) => s.name).join(', ')}`).toBeGreaterThan(
      index,
    );
    return found[index]!;
  };
  const SERVER = 2;
  const CLIENT = 3;
  const CONSUMER = 5;

  test('one request yields HTTP, RPC client, RPC server, event and job spans in the incoming trace, each the child of the one before', () => {
    const http = one('POST /orders', SERVER);
    const call = one('rpc back.reserve', CLIENT);
    const served = one('rpc back.reserve', SERVER);
    const event = one('event stock.reserved', CONSUMER);
    const run = one('job fulfil', CONSUMER);
    for (const span of [http, call, served, event, run]) expect(span.traceId, span.name).toBe(TRACE_ID);
    expect(http.parentSpanId).toBe(INCOMING_SPAN);
    expect(call.parentSpanId).toBe(http.spanId);
    expect(served.parentSpanId).toBe(call.spanId);
    expect(event.parentSpanId).toBe(served.spanId);
    expect(run.parentSpanId).toBe(http.spanId);
    expect(attr(http, 'http.route')).toBe('/orders');
    expect(Number(attr(http, 'http.response.status_code'))).toBe(200);
    expect(attr(run, 'bosun.job.id')).toBe(answered.job);
    expect(serviceNames).toContain('front+back');
  });

  test('the traceparent a handler sends onward is its own span: the job row and the job handler join the chain', () => {
    const http = one('POST /orders', SERVER);
    const run = one('job fulfil', CONSUMER);
    expect(parseTraceparent(answered.traceparent)?.spanId).toBe(http.spanId);
    expect(parseTraceparent(jobsRun[0])?.spanId).toBe(run.spanId);
    expect(parseTraceparent(eventsHeard[0])?.spanId).toBe(one('event stock.reserved', CONSUMER).spanId);
  });

  test('a failed RPC records its bosun error code on the client, server and HTTP spans', () => {
    expect(failedStatus).toBe(404);
    const call = one('rpc back.reserve', CLIENT, 1);
    const served = one('rpc back.reserve', SERVER, 1);
    const http = one('POST /orders', SERVER, 1);
    for (const span of [call, served, http]) {
      expect(attr(span, 'bosun.error.code'), span.name).toBe('BOSUN_NOT_FOUND');
      expect(Number(attr(span, 'bosun.error.status')), span.name).toBe(404);
    }
    expect(call.status?.code).toBe(2); // ERROR: the call failed
    expect(served.status?.code ?? 0).toBe(0); // a 4xx is the client's fault, not the server span's
    expect(Number(attr(http, 'http.response.status_code'))).toBe(404);
  });

  test('stopping the app unregisters its provider', () => {
    expect(hasGlobalTracerProvider()).toBe(false);
  });
};

describe(
  'with OTEL_EXPORTER_OTLP_ENDPOINT, spans reach an OTLP collector (in-process bus)',
  exporting('in-process'),
);
describeWithNats('with OTEL_EXPORTER_OTLP_ENDPOINT, spans reach an OTLP collector (NATS)', exporting('nats'));

describe('without OTEL_EXPORTER_OTLP_ENDPOINT, no provider and no export', () => {
  const database = useTestDatabase({ label: 'runtime_otel_off' });

  test('no tracer provider is registered, nothing reaches a collector, and traceparent still rides the job', async () => {
    const receiver = await startReceiver();
    jobsRun.length = 0;
    const config = loadAppConfig([front, back], {
      DATABASE_URL: database.url,
      PORT: '0',
      HEALTH_PORT: '0',
      HOST: '127.0.0.1',
    });
    expect(config.OTEL_EXPORTER_OTLP_ENDPOINT).toBeUndefined();
    const app = await createApp({ services: [front, back], config, log: pino({ level: 'silent' }) });
    await app.start();
    try {
      expect(hasGlobalTracerProvider()).toBe(false);
      const res = await post(app, 'tea');
      expect(res.status).toBe(200);
      const { traceparent } = (await res.json()) as { traceparent: string };
      expect(traceparent).toBe(INCOMING); // no span: the request's own traceparent is passed on
      await expect.poll(() => jobsRun.length).toBe(1);
      expect(parseTraceparent(jobsRun[0])?.traceId).toBe(TRACE_ID);
    } finally {
      await app.stop();
      await receiver.close();
    }
    expect(receiver.bodies).toEqual([]);
  });
});
