/**
 * Turns anything a handler throws into the stored shape { message, code, stack }.
 * The code is the error's own string `code` (BosunError, pg, Node) or
 * BOSUN_QUEUE_HANDLER_FAILED.
 */
import type { StoredError } from './types.js';

export function toStoredError(thrown: unknown): StoredError {
  if (thrown instanceof Error) {
    const code = (thrown as { code?: unknown }).code;
    const stored: StoredError = {
      message: thrown.message,
      code: typeof code === 'string' ? code : 'BOSUN_QUEUE_HANDLER_FAILED',
    };
    if (thrown.stack) stored.stack = thrown.stack;
    return stored;
  }
  return {
    message: typeof thrown === 'string' ? thrown : String(thrown),
    code: 'BOSUN_QUEUE_HANDLER_FAILED',
  };
}
