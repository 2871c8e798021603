/**
 * Circuit-breaker state made visible: the Prometheus gauge
 * `bosun_bus_breaker_state{target}` (0 closed, 1 half-open, 2 open — an isolated breaker
 * counts as open) and the `breakers` details of the bus check in /readyz.
 *
 * Invariant BREAKER_IS_NOT_READINESS: an open breaker says a *dependency* is failing, not
 * this process; /readyz shows it and stays 200, or every caller of a broken service would
 * be taken out of rotation too (a cascading outage).
 * Not here: the breaker itself (@bosun/bus resilience.ts).
 */
import type { BreakerState, Resilience } from '@bosun/bus';
import type { Logger } from '@bosun/core';
import { Gauge, type Registry } from 'prom-client';

const VALUE: Record<BreakerState, number> = { closed: 0, 'half-open': 1, open: 2, isolated: 2 };

/** Registers the gauge (once per registry) and logs every transition. Returns the unsubscribe. */
export function watchBreakers(resilience: Resilience, log: Logger, registry?: Registry): () => void {
  if (registry && !registry.getSingleMetric('bosun_bus_breaker_state')) {
    new Gauge({
      name: 'bosun_bus_breaker_state',
      help: 'Circuit breaker per RPC target: 0 closed, 1 half-open, 2 open',
      labelNames: ['target'],
      registers: [registry],
      // Read at scrape time, so the gauge never disagrees with the breakers.
      collect() {
        for (const [target, state] of Object.entries(resilience.states())) this.set({ target }, VALUE[state]);
      },
    });
  }
  return resilience.onStateChange((target, state) => {
    if (state === 'open') log.warn({ target }, 'circuit breaker opened: calls to the target fail fast');
    else log.info({ target, state }, 'circuit breaker state changed');
  });
}

/** The bus check's /readyz details: every RPC target seen and its breaker state. */
export function breakerDetails(resilience: Resilience): { breakers: Record<string, BreakerState> } {
  return { breakers: resilience.states() };
}
