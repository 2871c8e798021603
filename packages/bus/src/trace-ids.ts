/**
 * Cheap W3C trace/span ids for the RPC hot path. core's childContext() calls
 * `randomBytes` twice per new trace (one synchronous CSPRNG call each, several µs under
 * load); here ids are sliced from a pooled CSPRNG buffer refilled every 4 KiB, so a call
 * costs a hex slice.
 *
 * Invariants:
 * - IDS_ARE_CSPRNG: same guarantee as core's newTraceId/newSpanId — lowercase hex from
 *   `randomFillSync`, trace 32 chars, span 16, never all-zero (W3C forbids it) — so
 *   core's parseTraceparent accepts every traceparent formatted from these ids.
 * - Each pooled byte is used once, then the pool is refilled.
 */
import { randomFillSync } from 'node:crypto';
import type { TraceContext } from '@bosun/core';

const POOL_SIZE = 4096;
const pool = Buffer.alloc(POOL_SIZE);
let offset = POOL_SIZE;
const ZERO_TRACE = '0'.repeat(32);
const ZERO_SPAN = '0'.repeat(16);

function hex(bytes: number, zero: string): string {
  for (;;) {
    if (offset + bytes > POOL_SIZE) {
      randomFillSync(pool);
      offset = 0;
    }
    const id = pool.toString('hex', offset, offset + bytes);
    offset += bytes;
    if (id !== zero) return id;
  }
}

export const fastTraceId = (): string => hex(16, ZERO_TRACE);
export const fastSpanId = (): string => hex(8, ZERO_SPAN);

/** core's childContext() with pooled ids: a child span of `parent`, or a new sampled trace. */
export function childTrace(parent: TraceContext | undefined): TraceContext {
  return parent
    ? { traceId: parent.traceId, spanId: fastSpanId(), flags: parent.flags }
    : { traceId: fastTraceId(), spanId: fastSpanId(), flags: 1 };
}
