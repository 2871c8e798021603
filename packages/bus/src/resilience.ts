/**
 * Resilience per target service (cockatiel): bulkhead -> retry -> circuit breaker -> call.
 * One Resilience object is meant to be shared by every client of a process, so breaker
 * state is per target, not per client, and can be shown in metrics and /readyz details.
 *
 * Invariants:
 * - RETRY_ONLY_IDEMPOTENT: a call is retried only when its operation is marked
 *   `idempotent` AND the error is retryable (never after CIRCUIT_OPEN or OVERLOADED).
 * - BREAKER_FAILS_FAST: while a target's breaker is open, calls fail at once with
 *   BOSUN_BUS_CIRCUIT_OPEN without touching the bus; after `halfOpenAfterMs` one probe
 *   is let through, and its success closes the breaker.
 * - BREAKER_COUNTS_INFRASTRUCTURE: only retryable errors (no responders, timeouts,
 *   disconnects, unavailable) count as failures; a 4xx business error never opens it.
 * - BULKHEAD_BOUNDS_IN_FLIGHT: at most `maxInFlight` calls per target run at once; the
 *   rest queue up to `queue`, then fail with BOSUN_BUS_OVERLOADED.
 * Timeouts are the transport's request timeout (per call), not a cockatiel policy.
 */
import { isBosunError } from '@bosun/core';
import {
  BrokenCircuitError,
  BulkheadRejectedError,
  bulkhead,
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  ExponentialBackoff,
  handleWhen,
  type IPolicy,
  noop,
  retry,
  wrap,
} from 'cockatiel';
import { busErrors } from './bus.errors.js';

export type BreakerState = 'closed' | 'open' | 'half-open' | 'isolated';

export interface ResilienceOptions {
  /** Retries of idempotent calls. Default `{ maxAttempts: 2, initialDelayMs: 50, maxDelayMs: 1000 }`. */
  retry?: { maxAttempts?: number; initialDelayMs?: number; maxDelayMs?: number } | false;
  /** Default `{ consecutiveFailures: 5, halfOpenAfterMs: 5000 }`. */
  breaker?: { consecutiveFailures?: number; halfOpenAfterMs?: number } | false;
  /** Default `{ maxInFlight: 256, queue: 1024 }`. */
  bulkhead?: { maxInFlight?: number; queue?: number } | false;
}

export interface Resilience {
  /** Runs `call` under the target's policies. */
  run<T>(target: string, call: { idempotent: boolean }, fn: () => Promise<T>): Promise<T>;
  breakerState(target: string): BreakerState;
  /** Every target seen so far and its breaker state (for metrics and /readyz details). */
  states(): Record<string, BreakerState>;
  /** Called on every breaker transition; a listener's throw is swallowed. Returns an unsubscribe. */
  onStateChange(listener: (target: string, state: BreakerState) => void): () => void;
}

const STATE: Record<CircuitState, BreakerState> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Isolated]: 'isolated',
};

const NOT_RETRIED = new Set(['BOSUN_BUS_CIRCUIT_OPEN', 'BOSUN_BUS_OVERLOADED']);
const isTransient = (e: Error) => isBosunError(e) && e.retryable && !NOT_RETRIED.has(e.code);

interface TargetPolicies {
  plain: IPolicy;
  idempotent: IPolicy;
  state: () => BreakerState;
}

/**
 * @example
 * const resilience = createResilience({ breaker: { consecutiveFailures: 3, halfOpenAfterMs: 2000 } });
 * const users = createClient<typeof usersService>(transport, 'users', { resilience });
 */
export function createResilience(options: ResilienceOptions = {}): Resilience {
  const targets = new Map<string, TargetPolicies>();
  const listeners = new Set<(target: string, state: BreakerState) => void>();

  const build = (target: string): TargetPolicies => {
    const b = options.breaker === false ? undefined : (options.breaker ?? {});
    const breaker = b
      ? circuitBreaker(handleWhen(isTransient), {
          halfOpenAfter: b.halfOpenAfterMs ?? 5000,
          breaker: new ConsecutiveBreaker(b.consecutiveFailures ?? 5),
        })
      : undefined;
    breaker?.onStateChange((s) => {
      for (const l of listeners) {
        try {
          l(target, STATE[s]);
        } catch {}
      }
    });
    const r = options.retry === false ? undefined : (options.retry ?? {});
    const retryPolicy = r
      ? retry(handleWhen(isTransient), {
          maxAttempts: r.maxAttempts ?? 2,
          backoff: new ExponentialBackoff({
            initialDelay: r.initialDelayMs ?? 50,
            maxDelay: r.maxDelayMs ?? 1000,
          }),
        })
      : noop;
    const k = options.bulkhead === false ? undefined : (options.bulkhead ?? {});
    const bulk = k ? bulkhead(k.maxInFlight ?? 256, k.queue ?? 1024) : noop;
    const inner = breaker ?? noop;
    // Policies switched off are left out of the chain rather than wrapped as no-ops.
    const chain = (...policies: IPolicy[]) => {
      const active = policies.filter((p) => p !== noop);
      return active.length === 0 ? noop : active.length === 1 ? active[0]! : wrap(...active);
    };
    return {
      plain: chain(bulk, inner),
      idempotent: chain(bulk, retryPolicy, inner),
      state: () => (breaker ? STATE[breaker.state] : 'closed'),
    };
  };

  const policies = (target: string) => {
    let p = targets.get(target);
    if (!p) {
      p = build(target);
      targets.set(target, p);
    }
    return p;
  };

  return {
    async run(target, call, fn) {
      const p = policies(target);
      try {
        return await (call.idempotent ? p.idempotent : p.plain).execute(fn);
      } catch (error) {
        if (error instanceof BrokenCircuitError) {
          throw busErrors.create(
            'BOSUN_BUS_CIRCUIT_OPEN',
            `Calls to "${target}" are failing; not trying for now.`,
            {
              meta: { target },
              cause: error,
            },
          );
        }
        if (error instanceof BulkheadRejectedError) {
          throw busErrors.create('BOSUN_BUS_OVERLOADED', `Too many calls to "${target}" in flight.`, {
            meta: { target },
            cause: error,
          });
        }
        throw error;
      }
    },
    breakerState: (target) => policies(target).state(),
    states() {
      const out: Record<string, BreakerState> = {};
      for (const [target, p] of targets) out[target] = p.state();
      return out;
    },
    onStateChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
