/**
 * In-flight tracker: what a transport or worker is doing right now, so drain can wait
 * for it and report by name what it had to abandon.
 *
 * Invariants:
 * - `end` is idempotent: calling a token's end twice never drives the count negative.
 * - `waitIdle` resolves true as soon as nothing is in flight, false when the signal aborts
 *   first; it never rejects, so a drain deadline is an outcome, not an error.
 */

export interface InFlightTracker {
  /** Marks one unit of work as started; call the returned function when it ends. */
  begin(label: string): () => void;
  /** Number of units in flight. */
  readonly size: number;
  /** Labels of the units in flight, oldest first (e.g. `POST /orders`, `job:send-email#42`). */
  labels(): string[];
  /** Resolves true once idle, false if `signal` aborts first. */
  waitIdle(signal?: AbortSignal): Promise<boolean>;
}

/**
 * @example
 * const inFlight = trackInFlight();
 * const end = inFlight.begin('GET /slow');
 * try { await handle(); } finally { end(); }
 * // in drain(signal): const idle = await inFlight.waitIdle(signal); return { abandoned: idle ? [] : inFlight.labels() };
 */
export function trackInFlight(): InFlightTracker {
  const active = new Map<number, string>();
  let next = 0;
  let waiters: Array<() => void> = [];

  const settleIfIdle = () => {
    if (active.size > 0) return;
    const ready = waiters;
    waiters = [];
    for (const wake of ready) wake();
  };

  return {
    begin(label) {
      const id = next++;
      active.set(id, label);
      return () => {
        if (active.delete(id)) settleIfIdle();
      };
    },
    get size() {
      return active.size;
    },
    labels: () => [...active.values()],
    waitIdle(signal) {
      if (active.size === 0) return Promise.resolve(true);
      if (signal?.aborted) return Promise.resolve(false);
      return new Promise<boolean>((resolve) => {
        const onAbort = () => {
          waiters = waiters.filter((w) => w !== wake);
          resolve(false);
        };
        const wake = () => {
          signal?.removeEventListener('abort', onAbort);
          resolve(true);
        };
        waiters.push(wake);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    },
  };
}
