/**
 * Error registries: each package declares its codes once, with an HTTP status, a
 * retryable flag and a fixed title. `create` is the only way bosun code makes a
 * BosunError, so every error thrown has a registered code.
 *
 * Invariants:
 * - CODES_ARE_NEVER_REUSED: registering a code twice (in any registry) throws.
 * - Codes are UPPER_SNAKE_CASE; bosun's own start with `BOSUN_`.
 */
import { BosunError } from './bosun-error.js';

export interface ErrorSpec {
  status: number;
  retryable: boolean;
  /** Fixed, short text for the code. The per-occurrence text goes in `detail`. */
  title: string;
}

export interface CreateOptions {
  meta?: Record<string, unknown>;
  cause?: unknown;
}

export interface ErrorRegistry<C extends string> {
  /** The package or service that owns these codes. */
  readonly owner: string;
  readonly specs: Readonly<Record<C, ErrorSpec>>;
  create(code: C, detail?: string, options?: CreateOptions): BosunError;
  has(code: string): code is C;
}

const CODE_PATTERN = /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$/;
const allRegistries = new Map<string, ErrorRegistry<string>>();
const ownerOfCode = new Map<string, string>();

export function defineErrors<C extends string>(owner: string, specs: Record<C, ErrorSpec>): ErrorRegistry<C> {
  for (const code of Object.keys(specs)) {
    if (!CODE_PATTERN.test(code)) {
      throw new Error(`Error code "${code}" (${owner}) must be UPPER_SNAKE_CASE with at least two words.`);
    }
    const existing = ownerOfCode.get(code);
    if (existing !== undefined && existing !== owner) {
      throw new Error(
        `Error code "${code}" is registered by both "${existing}" and "${owner}"; codes are never reused.`,
      );
    }
    ownerOfCode.set(code, owner);
  }
  const registry: ErrorRegistry<C> = {
    owner,
    specs,
    create(code, detail, options = {}) {
      const spec = specs[code];
      return new BosunError({ code, ...spec, detail, meta: options.meta, cause: options.cause });
    },
    has(code: string): code is C {
      return Object.hasOwn(specs, code);
    },
  };
  allRegistries.set(owner, registry as ErrorRegistry<string>);
  return registry;
}

/** Every registry defined in this process, by owner. Used to generate and check docs/errors.md. */
export function listErrorRegistries(): ReadonlyArray<ErrorRegistry<string>> {
  return [...allRegistries.values()];
}
