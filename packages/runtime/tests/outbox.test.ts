/**
 * The runtime wires the transactional outbox for any service that declares
 * `events.publishes`, with no code in the service: a handler that INSERTs and publishes
 * with `{ db: client }` in one transaction gets its event delivered after COMMIT, and
 * none after ROLLBACK. One process, two services, the in-process bus and a real
 * PostgreSQL (the NATS relay is covered in packages/bus/tests/outbox.test.ts).
 */
import { defineService, operation, subscribe } from '@bosun/core';
import { useTestDatabase } from '@bosun/testing';
import type pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { z } from 'zod';
import type { App } from '../src/early-parts.js';
import { createApp, loadAppConfig } from '../src/index.js';

const OrderPlaced = z.object({ n: z.number().int() });
const received: number[] = [];

const shop = defineService({
  name: 'shop',
  migrations: [{ name: '001-orders', sql: 'CREATE TABLE orders (n integer PRIMARY KEY)' }],
  events: { publishes: { 'order.placed': OrderPlaced } },
  operations: {
    placeOrder: operation({
      input: z.object({ n: z.number().int(), fail: z.boolean() }),
      output: z.object({}),
      handler: async ({ n, fail }, ctx) => {
        const client = await (ctx.db as pg.Pool).connect();
        try {
          await client.query('BEGIN');
          await client.query('INSERT INTO orders (n) VALUES ($1)', [n]);
          await ctx.events.publish('order.placed', { n }, { db: client });
          if (fail) throw new Error('payment declined');
          await client.query('COMMIT');
          return {};
        } catch (error) {
          await client.query('ROLLBACK');
          throw error;
        } finally {
          client.release();
        }
      },
    }),
  },
});

const ledger = defineService({
  name: 'ledger',
  events: {
    subscribes: {
      'order.placed': subscribe({ schema: OrderPlaced, handler: ({ n }) => void received.push(n) }),
    },
  },
});

describe('the outbox, wired by the runtime', () => {
  const database = useTestDatabase({ label: 'runtime_outbox' });
  let app: App;

  beforeAll(async () => {
    const config = loadAppConfig([shop, ledger], {
      DATABASE_URL: database.url,
      PORT: '0',
      HEALTH_PORT: '0',
      HOST: '127.0.0.1',
    });
    app = await createApp({ services: [shop, ledger], config, log: pino({ level: 'silent' }) });
    await app.start();
  });
  afterAll(async () => {
    await app?.stop();
  });

  const place = (n: number, fail: boolean) =>
    shop.operations.placeOrder.handler({ n, fail }, app.context('shop')({ transport: 'internal' }));

  test('a committed transaction delivers its event; a rolled-back one delivers nothing and leaves no order', async () => {
    await expect(place(1, true)).rejects.toThrow('payment declined');
    await place(2, false);
    await expect.poll(() => received).toEqual([2]);
    const pool = app.database!.connection.pool;
    const orders = await pool.query('SELECT n FROM shop.orders');
    expect(orders.rows).toEqual([{ n: 2 }]);
    // Marked sent once the bus acked it, which may be just after the subscriber saw it.
    const sent = async () =>
      (await pool.query("SELECT sent_at IS NOT NULL AS sent FROM bosun_bus.outbox WHERE source = 'shop'"))
        .rows;
    await expect.poll(sent).toEqual([{ sent: true }]);
  });

  test('the relay shows in /readyz details and as bosun_outbox_relay_failures 0 while it publishes', async () => {
    const report = await app.health.readiness();
    expect(report.status).toBe('ok');
    expect(report.checks['outbox:relay']).toMatchObject({
      ok: true,
      details: { listening: true, consecutiveFailures: 0 },
    });
    expect(await app.metrics.render()).toMatch(/^bosun_outbox_relay_failures(\{[^}]*\})? 0$/m);
  });

  test('OUTBOX_IS_OBSERVABLE: published events are counted and nothing is left pending once they are sent', async () => {
    const count = async (name: string) =>
      Number(
        new RegExp(`^${name}(?:\\{[^}]*\\})? (\\d+)$`, 'm').exec(await app.metrics.render())?.[1] ??
          Number.NaN,
      );
    const before = await count('bosun_outbox_published_total');
    await place(3, false);
    await place(4, false);
    await expect.poll(() => count('bosun_outbox_published_total')).toBe(before + 2);
    await expect.poll(() => count('bosun_outbox_pending')).toBe(0);
    expect(await count('bosun_outbox_publish_failures_total')).toBe(0);
    // A row of a service this process does not run waits for its own relay: it is pending here.
    const pool = app.database!.connection.pool;
    await pool.query(
      "INSERT INTO bosun_bus.outbox (event_id, source, subject, payload) VALUES ('e-elsewhere', 'elsewhere', 'x.y', '{}')",
    );
    try {
      expect(await count('bosun_outbox_pending')).toBe(1);
    } finally {
      await pool.query("DELETE FROM bosun_bus.outbox WHERE event_id = 'e-elsewhere'");
    }
  });
});
