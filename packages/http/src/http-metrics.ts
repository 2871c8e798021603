/**
 * Prometheus request metrics on the service's registry:
 * `bosun_http_requests_total{method,route,status}` and
 * `bosun_http_request_duration_seconds{method,route,status}`.
 *
 * Invariants:
 * - BOUNDED_LABELS: `route` is the route template (`/users/:id`), never the raw URL;
 *   unmatched requests are labelled `unmatched`, so a scanner cannot blow up cardinality.
 * - Creating the metrics twice on one registry reuses them (several servers, tests).
 */
import { Counter, Histogram, type Registry } from 'prom-client';

export interface HttpMetrics {
  observe(labels: { method: string; route: string; status: number }, seconds: number): void;
}

const BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export function createHttpMetrics(registry: Registry | undefined): HttpMetrics {
  if (!registry) return { observe() {} };
  const labelNames = ['method', 'route', 'status'] as const;
  const total =
    (registry.getSingleMetric('bosun_http_requests_total') as
      | Counter<(typeof labelNames)[number]>
      | undefined) ??
    new Counter({
      name: 'bosun_http_requests_total',
      help: 'HTTP requests answered, by method, route template and status',
      labelNames,
      registers: [registry],
    });
  const duration =
    (registry.getSingleMetric('bosun_http_request_duration_seconds') as
      | Histogram<(typeof labelNames)[number]>
      | undefined) ??
    new Histogram({
      name: 'bosun_http_request_duration_seconds',
      help: 'HTTP request duration in seconds, by method, route template and status',
      labelNames,
      buckets: BUCKETS,
      registers: [registry],
    });
  return {
    observe({ method, route, status }, seconds) {
      const labels = { method, route, status: String(status) };
      total.inc(labels);
      duration.observe(labels, seconds);
    },
  };
}
