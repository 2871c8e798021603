/**
 * What one outbound attempt reports, whatever the channel: success, the remote status
 * (HTTP status or SMTP reply code) and an error text safe to store and show.
 *
 * Invariant ERRORS_ARE_SAFE_TO_SHOW: `error` never holds the webhook secret, a signature,
 * SMTP credentials or a response body (which may echo request headers); only a status, a
 * host and a short cause.
 */
export interface DeliveryResult {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  /** True when the caller's signal aborted the attempt (the process is stopping): not the receiver's fault. */
  interrupted: boolean;
}

export interface AttemptSignals {
  /** Aborts when the process stops (drain deadline). */
  signal: AbortSignal;
  timeoutMs: number;
}

/** A short, credential-free description of a thrown network error. */
export function describeError(error: unknown, timeoutMs: number): string {
  const e = error as { name?: string; code?: string; cause?: { code?: string; message?: string } } | null;
  if (e?.name === 'TimeoutError') return `timed out after ${timeoutMs} ms`;
  const code = e?.cause?.code ?? e?.code;
  if (code) return `network error ${code}`;
  return 'network error';
}
