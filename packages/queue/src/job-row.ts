/**
 * Validates a send (queue name, options, data) and turns it into one JSON row for the
 * batch insert. BAD_INPUT_WRITES_NOTHING: every check runs before any SQL, and a bad
 * item rejects its whole sendBatch. Hand-written checks, not Zod: this is the hot path.
 */
import { validationError } from '@bosun/core';
import { z } from 'zod';
import { queueErrors } from './queue.errors.js';
import type { QueueDefinition, SendOptions } from './types.js';

const NAME_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.:/-]{0,127}$/;
const TRACEPARENT = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

export function assertQueueName(name: unknown, what = 'queue name'): asserts name is string {
  if (typeof name !== 'string' || !NAME_PATTERN.test(name)) {
    throw queueErrors.create(
      'BOSUN_QUEUE_NAME_INVALID',
      `The ${what} ${JSON.stringify(name)} is invalid: use 1-128 characters from A-Z a-z 0-9 _ . : / -, starting with a letter, digit or _.`,
      { meta: { name } },
    );
  }
}

function optionError(option: string, value: unknown, expected: string) {
  return queueErrors.create(
    'BOSUN_QUEUE_OPTIONS_INVALID',
    `Option ${option} is ${JSON.stringify(value) ?? String(value)}; it must be ${expected}.`,
    { meta: { option } },
  );
}

function intOption(o: Record<string, unknown>, key: string, min: number, max: number): number | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw optionError(key, v, `an integer from ${min} to ${max}`);
  }
  return v;
}

const KNOWN = new Set([
  'priority',
  'startAfter',
  'singletonKey',
  'retryLimit',
  'retryDelay',
  'retryBackoff',
  'expireInSeconds',
  'retentionSeconds',
  'deadLetter',
  'traceparent',
  'db',
  'schema',
]);

/** Serialises the per-row option fields (short keys, matching insert-jobs.sql). */
export function optionFields(options: SendOptions & QueueDefinition): string {
  const o = options as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!KNOWN.has(key))
      throw optionError(key, o[key], 'one of the documented send options (unknown option)');
  }
  const f: Record<string, unknown> = {};
  const p = intOption(o, 'priority', -1_000_000, 1_000_000);
  if (p !== undefined) f.p = p;
  const rl = intOption(o, 'retryLimit', 0, 1_000_000);
  if (rl !== undefined) f.rl = rl;
  const rd = intOption(o, 'retryDelay', 0, 31_536_000);
  if (rd !== undefined) f.rd = rd;
  const e = intOption(o, 'expireInSeconds', 1, 31_536_000);
  if (e !== undefined) f.e = e;
  const r = intOption(o, 'retentionSeconds', 0, 315_360_000);
  if (r !== undefined) f.r = r;
  if (o.retryBackoff !== undefined) {
    if (typeof o.retryBackoff !== 'boolean') throw optionError('retryBackoff', o.retryBackoff, 'a boolean');
    f.rb = o.retryBackoff;
  }
  if (o.deadLetter !== undefined) {
    assertQueueName(o.deadLetter, 'deadLetter queue name');
    f.dl = o.deadLetter;
  }
  if (o.singletonKey !== undefined) {
    if (typeof o.singletonKey !== 'string' || o.singletonKey.length === 0 || o.singletonKey.length > 1000) {
      throw optionError('singletonKey', o.singletonKey, 'a non-empty string of at most 1000 characters');
    }
    f.k = o.singletonKey;
  }
  if (o.traceparent !== undefined) {
    if (typeof o.traceparent !== 'string' || !TRACEPARENT.test(o.traceparent)) {
      throw optionError('traceparent', o.traceparent, 'a W3C traceparent (00-<32 hex>-<16 hex>-<2 hex>)');
    }
    f.tp = o.traceparent;
  }
  const s = o.startAfter;
  if (s !== undefined) {
    if (typeof s === 'number') {
      if (!Number.isFinite(s) || s < 0)
        throw optionError('startAfter', s, 'seconds >= 0, a Date or an ISO string');
      f.s = s;
    } else if (s instanceof Date || typeof s === 'string') {
      const at = s instanceof Date ? s : new Date(s);
      if (Number.isNaN(at.getTime()))
        throw optionError('startAfter', s, 'seconds >= 0, a Date or an ISO string');
      f.a = at.toISOString();
    } else {
      throw optionError('startAfter', s, 'seconds >= 0, a Date or an ISO string');
    }
  }
  const json = JSON.stringify(f);
  return json === '{}' ? '' : `,${json.slice(1, -1)}`;
}

/** JSON text of the data; throws BOSUN_QUEUE_DATA_NOT_SERIALIZABLE for functions, BigInt, cycles. */
export function serialiseData(name: string, data: unknown, schema: z.ZodType | undefined): string {
  if (schema) {
    const parsed = schema.safeParse(data);
    if (!parsed.success) {
      const v = validationError(parsed.error, `data for queue "${name}"`);
      throw queueErrors.create(
        'BOSUN_QUEUE_DATA_INVALID',
        `${v.message}. Fix the data or the queue's schema.`,
        {
          meta: v.meta,
          cause: parsed.error,
        },
      );
    }
  }
  if (data === undefined || data === null) return 'null';
  let json: string | undefined;
  try {
    json = JSON.stringify(data);
  } catch (error) {
    throw queueErrors.create(
      'BOSUN_QUEUE_DATA_NOT_SERIALIZABLE',
      `Data for queue "${name}" cannot be stored as JSON (${(error as Error).message}); send plain objects, arrays, strings, numbers and booleans.`,
      { cause: error },
    );
  }
  if (json === undefined) {
    throw queueErrors.create(
      'BOSUN_QUEUE_DATA_NOT_SERIALIZABLE',
      `Data for queue "${name}" is a ${typeof data}, which JSON cannot store; send a plain object instead.`,
    );
  }
  return json;
}

export interface PreparedRow {
  name: string;
  singletonKey: string | undefined;
  /** One element of the insert's JSON array. */
  json: string;
  /** Due now (no startAfter): may be handed straight to a local idle worker. */
  immediate: boolean;
}

/** Builds the insert row for one send, applying `define()` defaults under the send's own options. */
export function prepareRow(
  name: unknown,
  data: unknown,
  options: SendOptions | undefined,
  definition: QueueDefinition | undefined,
): PreparedRow {
  assertQueueName(name);
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    throw optionError('options', options, 'an object');
  }
  const { db: _db, ...own } = options ?? {};
  let merged: SendOptions & QueueDefinition = own;
  if (definition) {
    const { schema: _schema, ...defaults } = definition;
    merged = { ...defaults, ...own };
  }
  const fields = optionFields(merged);
  const dataJson = serialiseData(name, data, definition?.schema);
  return {
    name,
    singletonKey: merged.singletonKey,
    json: `{"n":${JSON.stringify(name)},"d":${dataJson}${fields}}`,
    immediate: merged.startAfter === undefined,
  };
}

/** Validates a queue definition's options once, at define() time. */
export function assertDefinition(name: string, definition: QueueDefinition): void {
  assertQueueName(name);
  const { schema, ...defaults } = definition;
  if (schema !== undefined && !(schema instanceof z.ZodType)) {
    throw optionError('schema', typeof schema, 'a Zod schema');
  }
  optionFields(defaults);
}
