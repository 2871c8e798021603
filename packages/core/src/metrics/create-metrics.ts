/**
 * Metrics: one prom-client Registry per service instance, with process metrics and
 * helpers for bosun's own counters and histograms, all labelled with the service.
 *
 * Invariants:
 * - NO_GLOBAL_REGISTRY: nothing is registered on prom-client's default `register`, so many
 *   services (and tests) can live in one process without "already registered" errors.
 * - Every metric created here carries the `service` label (set as a registry default).
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export interface MetricsOptions {
  service: string;
  /** Collect process metrics (CPU, memory, event-loop lag, GC). Default true. */
  defaultMetrics?: boolean;
  /** Prefix for bosun's own metric names. Default 'bosun_'. */
  prefix?: string;
}

export interface Metrics {
  readonly registry: Registry;
  /** Prometheus text exposition of everything on the registry. */
  render(): Promise<string>;
  readonly contentType: string;
  counter<L extends string = never>(name: string, help: string, labelNames?: readonly L[]): Counter<L>;
  gauge<L extends string = never>(name: string, help: string, labelNames?: readonly L[]): Gauge<L>;
  histogram<L extends string = never>(
    name: string,
    help: string,
    labelNames?: readonly L[],
    buckets?: number[],
  ): Histogram<L>;
}

/** Latency buckets in seconds, 1 ms to 10 s. */
export const defaultLatencyBuckets = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * Creates the service's registry. Metric names are prefixed (`bosun_`) unless they
 * already start with the prefix; creating the same name twice returns the existing metric.
 * @example
 * const metrics = createMetrics({ service: 'users' });
 * const handled = metrics.counter('operations_total', 'Operations handled', ['operation', 'outcome']);
 * handled.inc({ operation: 'getUser', outcome: 'ok' });
 */
export function createMetrics(options: MetricsOptions): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service: options.service });
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry });
  const prefix = options.prefix ?? 'bosun_';
  const full = (name: string) => (name.startsWith(prefix) ? name : prefix + name);
  const existing = <T>(name: string) => registry.getSingleMetric(name) as T | undefined;

  return {
    registry,
    contentType: registry.contentType,
    render: () => registry.metrics(),
    counter(name, help, labelNames = []) {
      const n = full(name);
      return existing(n) ?? new Counter({ name: n, help, labelNames, registers: [registry] });
    },
    gauge(name, help, labelNames = []) {
      const n = full(name);
      return existing(n) ?? new Gauge({ name: n, help, labelNames, registers: [registry] });
    },
    histogram(name, help, labelNames = [], buckets = defaultLatencyBuckets) {
      const n = full(name);
      return existing(n) ?? new Histogram({ name: n, help, labelNames, buckets, registers: [registry] });
    },
  };
}
