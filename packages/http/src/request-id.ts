/**
 * Request ids: accepted from the caller when they look safe, generated otherwise.
 *
 * Invariants:
 * - REQUEST_ID_IS_SAFE: an accepted id is 1-128 characters of `[A-Za-z0-9._:-]`, so it can go
 *   into logs and response headers without escaping or header injection.
 * - Every response carries the id in the configured header (default `x-request-id`).
 */
import { randomUUID } from 'node:crypto';

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Returns the caller's id when it is safe, else a fresh UUID. */
export function resolveRequestId(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value !== undefined && SAFE_ID.test(value) ? value : randomUUID();
}

export function isSafeRequestId(value: string): boolean {
  return SAFE_ID.test(value);
}
