import pino from 'pino';
import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import type { OperationContext } from '../src/definition/context.js';
import { defineService } from '../src/definition/define-service.js';
import { invoke } from '../src/definition/invoke.js';
import { operation } from '../src/definition/operation.js';
import { BosunError, isBosunError } from '../src/errors/bosun-error.js';
import { defineErrors } from '../src/errors/error-registry.js';
import { toProblem } from '../src/errors/problem.js';

const shopErrors = defineErrors('shop-test', {
  SHOP_OUT_OF_STOCK: { status: 409, retryable: false, title: 'Out of stock' },
});

let calls = 0;
const shop = defineService({
  name: 'shop',
  operations: {
    buy: operation({
      input: z.object({ sku: z.string(), quantity: z.number().int().positive().default(1) }),
      output: z.object({ orderId: z.string(), quantity: z.number() }),
      handler: ({ sku, quantity }) => {
        calls++;
        if (sku === 'gone') throw shopErrors.create('SHOP_OUT_OF_STOCK', `SKU ${sku} is sold out.`);
        if (sku === 'boom') throw new TypeError('cannot read x of undefined');
        if (sku === 'liar') return { orderId: 42 } as never;
        return { orderId: `o-${sku}`, quantity };
      },
    }),
  },
});

function ctx(): OperationContext {
  return {
    service: 'shop',
    requestId: 'req-1',
    transport: 'internal',
    log: pino({ level: 'silent' }),
    signal: new AbortController().signal,
    config: {},
    db: undefined,
    jobs: { send: async () => ({ id: '1' }) },
    events: { publish: async () => {} },
    caller: {},
    progress: async () => {},
  };
}

const failure = (p: Promise<unknown>) =>
  p.then(
    () => expect.fail('expected a rejection'),
    (e: unknown) => e,
  );

describe('invoke: the single invocation path', () => {
  test('parses input (with defaults) and returns validated output', async () => {
    await expect(invoke(shop, 'buy', { sku: 'a' }, ctx())).resolves.toEqual({ orderId: 'o-a', quantity: 1 });
  });

  test('invalid input never reaches the handler and names the bad field (INPUT_IS_VALIDATED)', async () => {
    const before = calls;
    const error = await failure(invoke(shop, 'buy', { sku: 1, quantity: -2 }, ctx()));
    expect(isBosunError(error, 'BOSUN_VALIDATION_FAILED')).toBe(true);
    const issues = (error as BosunError).meta?.issues as Array<{ path: string }>;
    expect(issues.map((i) => i.path).sort()).toEqual(['quantity', 'sku']);
    expect(calls).toBe(before);
  });

  test('a coded handler error keeps its code and status', async () => {
    const error = await failure(invoke(shop, 'buy', { sku: 'gone' }, ctx()));
    expect(isBosunError(error, 'SHOP_OUT_OF_STOCK')).toBe(true);
    expect((error as BosunError).status).toBe(409);
  });

  test('an unknown throw becomes BOSUN_INTERNAL keeping the cause (CAUSE_IS_KEPT)', async () => {
    const error = (await failure(invoke(shop, 'buy', { sku: 'boom' }, ctx()))) as BosunError;
    expect(error.code).toBe('BOSUN_INTERNAL');
    expect(error.cause).toBeInstanceOf(TypeError);
  });

  test('output that breaks the schema is BOSUN_OUTPUT_INVALID, hidden from production callers', async () => {
    const error = (await failure(invoke(shop, 'buy', { sku: 'liar' }, ctx()))) as BosunError;
    expect(error.code).toBe('BOSUN_OUTPUT_INVALID');
    expect(toProblem(error, { production: false }).detail).toMatch(/orderId/);
    const prod = toProblem(error, { production: true, requestId: 'r' });
    expect(prod.detail).toBeUndefined();
    expect(prod).toMatchObject({ status: 500, code: 'BOSUN_OUTPUT_INVALID', requestId: 'r' });
  });

  test('an unknown operation is BOSUN_OPERATION_NOT_FOUND listing the known ones', async () => {
    const error = (await failure(invoke(shop, 'sell', {}, ctx()))) as BosunError;
    expect(error.code).toBe('BOSUN_OPERATION_NOT_FOUND');
    expect(error.message).toContain('buy');
  });

  test('errors survive the wire: toJSON/fromJSON keep code, status and retryable', () => {
    const original = shopErrors.create('SHOP_OUT_OF_STOCK', 'x', { meta: { sku: 'x' } });
    const rebuilt = BosunError.fromJSON(JSON.parse(JSON.stringify(original)));
    expect(rebuilt).toMatchObject({
      code: 'SHOP_OUT_OF_STOCK',
      status: 409,
      retryable: false,
      meta: { sku: 'x' },
    });
  });

  test('problem+json extension members never overwrite the standard ones', () => {
    const error = shopErrors.create('SHOP_OUT_OF_STOCK', 'x', { meta: { status: 200, sku: 'x' } });
    expect(toProblem(error, { production: false })).toMatchObject({ status: 409, sku: 'x' });
  });

  test('a code registered twice by different owners is refused (CODES_ARE_NEVER_REUSED)', () => {
    expect(() =>
      defineErrors('other', { SHOP_OUT_OF_STOCK: { status: 400, retryable: false, title: 'x' } }),
    ).toThrow(/registered by both/);
  });
});
