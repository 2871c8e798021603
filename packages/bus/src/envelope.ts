/**
 * The RPC wire format: a small versioned JSON envelope, and the header names the bus
 * uses. Requests are `{ v: 1, input }`; replies are `{ v: 1, ok: true, data }` or
 * `{ v: 1, ok: false, error: BosunErrorJSON }`.
 *
 * Invariants:
 * - ENVELOPE_IS_VERSIONED: anything without `v: 1` is refused with BOSUN_BUS_BAD_ENVELOPE,
 *   so a future v2 never gets misread as v1.
 * - ERROR_CODE_CROSSES_THE_WIRE: a BosunError thrown by the callee is rebuilt with the
 *   same code, status and retryable flag on the caller side.
 */
import { BosunError, type BosunErrorJSON } from '@bosun/core';
import { busErrors } from './bus.errors.js';

export const ENVELOPE_VERSION = 1;

export const HEADERS = {
  traceparent: 'traceparent',
  requestId: 'x-request-id',
  authorization: 'authorization',
  /** In-process only: who the edge call is on behalf of (ON_BEHALF_OF_HEADER_IS_LOCAL, rpc-server.ts). */
  onBehalfOf: 'x-bosun-on-behalf-of',
} as const;

export interface RequestEnvelope {
  v: 1;
  input: unknown;
}

export type ReplyEnvelope = { v: 1; ok: true; data: unknown } | { v: 1; ok: false; error: BosunErrorJSON };

const decoder = new TextDecoder();

/** Buffer.from, not TextEncoder: a small Buffer is a slice of Node's pool (no ArrayBuffer per message), ~2.5x faster. */
export function encodeJson(value: unknown): Uint8Array {
  return Buffer.from(JSON.stringify(value), 'utf8');
}

export function decodeJson(data: Uint8Array): unknown {
  try {
    return JSON.parse(decoder.decode(data));
  } catch (cause) {
    throw busErrors.create('BOSUN_BUS_BAD_ENVELOPE', 'The message body is not JSON.', { cause });
  }
}

export function encodeRequest(input: unknown): Uint8Array {
  return encodeJson({ v: ENVELOPE_VERSION, input } satisfies RequestEnvelope);
}

export function decodeRequest(data: Uint8Array): RequestEnvelope {
  const value = decodeJson(data) as Partial<RequestEnvelope> | null;
  if (!value || value.v !== ENVELOPE_VERSION) {
    throw busErrors.create(
      'BOSUN_BUS_BAD_ENVELOPE',
      `Expected a request envelope with v: ${ENVELOPE_VERSION}.`,
    );
  }
  return { v: ENVELOPE_VERSION, input: value.input };
}

export function encodeReply(
  reply: { ok: true; data: unknown } | { ok: false; error: BosunError },
): Uint8Array {
  if (reply.ok)
    return encodeJson({ v: ENVELOPE_VERSION, ok: true, data: reply.data } satisfies ReplyEnvelope);
  return encodeJson({ v: ENVELOPE_VERSION, ok: false, error: reply.error.toJSON() } satisfies ReplyEnvelope);
}

/** Returns the data of an ok reply; throws the rebuilt BosunError of an error reply. */
export function unwrapReply(data: Uint8Array): unknown {
  const value = decodeJson(data) as Partial<ReplyEnvelope> | null;
  if (!value || value.v !== ENVELOPE_VERSION || typeof value.ok !== 'boolean') {
    throw busErrors.create(
      'BOSUN_BUS_BAD_ENVELOPE',
      `Expected a reply envelope with v: ${ENVELOPE_VERSION}.`,
    );
  }
  if (value.ok) return (value as { data: unknown }).data;
  const error = (value as { error?: BosunErrorJSON }).error;
  if (!error || typeof error.code !== 'string') {
    throw busErrors.create('BOSUN_BUS_BAD_ENVELOPE', 'An error reply carried no error code.');
  }
  throw BosunError.fromJSON(error);
}
