/**
 * TRACE_RIDES_THE_JOB, wired by the runtime: an HTTP request's W3C traceparent reaches
 * the job its handler sends (stored on the job row, shown by getJob), and the job
 * handler's ctx.traceparent is a child in the same trace; so do its events, published
 * directly or through the outbox. Real PostgreSQL, one process, the in-process bus.
 */
import { defineService, job, operation, parseTraceparent, subscribe } from '@bosun/core';
import { useTestDatabase } from '@bosun/testing';
import type pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { z } from 'zod';
import type { App } from '../src/early-parts.js';
import { createApp, loadAppConfig } from '../src/index.js';

const handled: Array<string | undefined> = [];
const heard: Array<{ via: string; traceparent: string | undefined }> = [];
const Heard = z.object({ via: z.string() });
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const INCOMING = `00-${TRACE_ID}-00f067aa0ba902b7-01`;

const tracer = defineService({
  name: 'tracer',
  operations: {
    enqueue: operation({
      input: z.object({}),
      output: z.object({ id: z.string(), traceparent: z.string().optional() }),
      http: 'POST /work',
      handler: async (_input, ctx) => ({
        id: (await ctx.jobs.send('traced-work', {})).id,
        traceparent: ctx.traceparent,
      }),
    }),
    announce: operation({
      input: z.object({}),
      output: z.object({ traceparent: z.string().optional() }),
      http: 'POST /announce',
      handler: async (_input, ctx) => {
        await ctx.events.publish('work.announced', { via: 'bus' });
        const client = await (ctx.db as pg.Pool).connect();
        try {
          await client.query('BEGIN');
          await ctx.events.publish('work.announced', { via: 'outbox' }, { db: client });
          await client.query('COMMIT');
        } finally {
          client.release();
        }
        return { traceparent: ctx.traceparent };
      },
    }),
  },
  events: { publishes: { 'work.announced': Heard } },
  jobs: {
    'traced-work': job({
      data: z.object({}),
      handler: (_data, ctx) => void handled.push(ctx.traceparent),
    }),
  },
});

const listener = defineService({
  name: 'listener',
  events: {
    subscribes: {
      'work.announced': subscribe({
        schema: Heard,
        handler: ({ via }, ctx) => void heard.push({ via, traceparent: ctx.traceparent }),
      }),
    },
  },
});

describe('trace context through job rows and events', () => {
  const database = useTestDatabase({ label: 'runtime_job_trace' });
  let app: App;
  beforeAll(async () => {
    const config = loadAppConfig([tracer, listener], {
      DATABASE_URL: database.url,
      PORT: '0',
      HEALTH_PORT: '0',
      HOST: '127.0.0.1',
    });
    app = await createApp({ services: [tracer, listener], config, log: pino({ level: 'silent' }) });
    await app.start();
  });
  afterAll(async () => {
    await app?.stop();
  });

  test('a job sent while handling a traced request carries its traceparent, and its handler runs in a child of that trace', async () => {
    const res = await fetch(`${app.http.get('tracer')!.url}/work`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent: INCOMING },
      body: '{}',
    });
    expect(res.status).toBe(200);
    const { id, traceparent: sent } = (await res.json()) as { id: string; traceparent: string };
    expect(parseTraceparent(sent)?.traceId).toBe(TRACE_ID);
    await expect.poll(() => handled.length).toBe(1);

    const row = await app.queue!.queue.getJob(id);
    expect(row?.traceparent).toBe(sent);
    const child = parseTraceparent(handled[0]);
    expect(child?.traceId).toBe(TRACE_ID);
    expect(child?.spanId).not.toBe(parseTraceparent(sent)?.spanId);
  });

  test('events published while handling a traced request, directly or through the outbox, reach subscribers in the same trace', async () => {
    const res = await fetch(`${app.http.get('tracer')!.url}/announce`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent: INCOMING },
      body: '{}',
    });
    expect(res.status).toBe(200);
    await expect.poll(() => heard.map((h) => h.via).sort()).toEqual(['bus', 'outbox']);
    for (const h of heard) expect(parseTraceparent(h.traceparent)?.traceId, h.via).toBe(TRACE_ID);
  });
});
