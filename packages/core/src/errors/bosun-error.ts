/**
 * BosunError: the one error shape that crosses every transport (HTTP, MCP, RPC, GraphQL,
 * job rows). It carries a stable `code`, an HTTP `status`, a `retryable` flag, a short
 * `title` (the registry's fixed text for the code) and a `detail` (what happened this
 * time, saying what to do).
 *
 * Invariants:
 * - CODES_ARE_STABLE: a code's meaning never changes; callers match on `code`, never on text.
 * - CAUSE_IS_KEPT: normalising an unknown throw keeps it as `cause`.
 */

export interface BosunErrorInit {
  code: string;
  status: number;
  retryable: boolean;
  title: string;
  detail?: string;
  /** Structured, transport-safe facts (validation issues, the variable names, ...). */
  meta?: Record<string, unknown>;
  cause?: unknown;
}

/** The wire form of a BosunError, as RPC envelopes, job rows and MCP results carry it. */
export interface BosunErrorJSON {
  code: string;
  status: number;
  retryable: boolean;
  title: string;
  detail?: string;
  meta?: Record<string, unknown>;
}

export class BosunError extends Error {
  readonly code: string;
  readonly status: number;
  readonly retryable: boolean;
  readonly title: string;
  readonly detail: string | undefined;
  readonly meta: Record<string, unknown> | undefined;

  constructor(init: BosunErrorInit) {
    super(init.detail ?? init.title, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'BosunError';
    this.code = init.code;
    this.status = init.status;
    this.retryable = init.retryable;
    this.title = init.title;
    this.detail = init.detail;
    this.meta = init.meta;
  }

  toJSON(): BosunErrorJSON {
    const json: BosunErrorJSON = {
      code: this.code,
      status: this.status,
      retryable: this.retryable,
      title: this.title,
    };
    if (this.detail !== undefined) json.detail = this.detail;
    if (this.meta !== undefined) json.meta = this.meta;
    return json;
  }

  /** Rebuilds an error received from another process. Unknown codes are kept as they are. */
  static fromJSON(json: BosunErrorJSON, cause?: unknown): BosunError {
    return new BosunError({ ...json, cause });
  }
}

/**
 * True when `value` is a BosunError, and when `code` is given, one with that code.
 * Match errors this way, never by message.
 */
export function isBosunError(value: unknown, code?: string): value is BosunError {
  return value instanceof BosunError && (code === undefined || value.code === code);
}
