/**
 * Counting refused tokens in Prometheus, when a prom-client registry is given:
 * `bosun_auth_refused_total{kind, code, operation}`. Shared by service and user verifiers.
 */
import { Counter, type Registry } from 'prom-client';

export type RefusalCounter = (labels: { kind: 'service' | 'user'; code: string; operation: string }) => void;

const NAME = 'bosun_auth_refused_total';

export function refusalCounter(registry: Registry | undefined): RefusalCounter {
  if (!registry) return () => {};
  const counter =
    (registry.getSingleMetric(NAME) as Counter<'kind' | 'code' | 'operation'> | undefined) ??
    new Counter({
      name: NAME,
      help: 'Tokens refused, by kind (service/user), error code and operation.',
      labelNames: ['kind', 'code', 'operation'],
      registers: [registry],
    });
  return (labels) => counter.inc(labels);
}
