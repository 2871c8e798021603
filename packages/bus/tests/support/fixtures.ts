/** Fixture services and helpers shared by the bus tests. */
import { randomBytes } from 'node:crypto';
import { defineErrors, defineService, operation, subscribe } from '@bosun/core';
import pino from 'pino';
import { z } from 'zod';

export const silentLog = pino({ level: 'silent' });

/** A subject root no other test file uses. */
export const randomRoot = () => `t_${randomBytes(5).toString('hex')}`;

export const fixtureErrors = defineErrors('bus-test-fixtures', {
  FIXTURE_ACCOUNT_LOCKED: { status: 409, retryable: false, title: 'The account is locked' },
});

/** Echo service; `instance` tags replies so tests can see which replica answered. */
export function echoService(name: string, instance = 'a', gate?: Promise<void>) {
  return defineService({
    name,
    operations: {
      echo: operation({
        input: z.object({ text: z.string() }),
        output: z.object({ text: z.string(), instance: z.string() }),
        idempotent: true,
        handler: ({ text }) => ({ text, instance }),
      }),
      lock: operation({
        input: z.object({ id: z.string() }),
        output: z.object({}),
        handler: ({ id }) => {
          throw fixtureErrors.create('FIXTURE_ACCOUNT_LOCKED', `Account ${id} is locked.`);
        },
      }),
      wait: operation({
        input: z.object({}),
        output: z.object({ done: z.boolean() }),
        handler: async () => {
          await gate;
          return { done: true };
        },
      }),
      whoami: operation({
        input: z.object({}),
        output: z.object({ requestId: z.string(), traceparent: z.string().optional(), caller: z.unknown() }),
        handler: (_input, ctx) => ({
          requestId: ctx.requestId,
          traceparent: ctx.traceparent,
          caller: ctx.caller,
        }),
      }),
      internal: operation({
        input: z.object({}),
        output: z.object({}),
        rpc: false,
        handler: () => ({}),
      }),
    },
  });
}

export type EchoService = ReturnType<typeof echoService>;

/** A promise with its resolve, for gating handlers without timers. */
export function latch(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

export const OrderPlaced = z.object({ n: z.number().int() });

/** A service that publishes `subject` (an order-placed event). */
export function publisherService(name: string, subject: string) {
  return defineService({ name, events: { publishes: { [subject]: OrderPlaced } } });
}

/** A service subscribing to `subject` with the given handler. */
export function subscriberService(
  name: string,
  subject: string,
  handler: (data: z.output<typeof OrderPlaced>) => Promise<void> | void,
  maxDeliveries?: number,
) {
  return defineService({
    name,
    events: { subscribes: { [subject]: subscribe({ schema: OrderPlaced, maxDeliveries, handler }) } },
  });
}
