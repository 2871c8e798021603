/**
 * Optional Prometheus metrics (prom-client), registered only when a `registry` is passed:
 * jobs by outcome, processing duration, claim latency, and queue depth by state
 * (collected from the hot table on scrape, so it costs nothing between scrapes).
 */
import client from 'prom-client';

export interface QueueMetrics {
  outcome(
    name: string,
    outcome: 'completed' | 'failed' | 'retried' | 'expired' | 'released',
    n?: number,
  ): void;
  duration(name: string, seconds: number): void;
  claim(name: string, seconds: number): void;
}

const noop: QueueMetrics = { outcome() {}, duration() {}, claim() {} };

export function createMetrics(
  registry: client.Registry | undefined,
  depth: () => Promise<Array<{ name: string; state: string; count: number }>>,
): QueueMetrics {
  if (!registry) return noop;
  const jobs = new client.Counter({
    name: 'bosun_queue_jobs_total',
    help: 'Jobs finished by outcome',
    labelNames: ['queue', 'outcome'],
    registers: [registry],
  });
  const duration = new client.Histogram({
    name: 'bosun_queue_job_duration_seconds',
    help: 'Handler run time',
    labelNames: ['queue'],
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30, 120],
    registers: [registry],
  });
  const claim = new client.Histogram({
    name: 'bosun_queue_claim_duration_seconds',
    help: 'Time for one claim query',
    labelNames: ['queue'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05, 0.25, 1],
    registers: [registry],
  });
  new client.Gauge({
    name: 'bosun_queue_depth',
    help: 'Live jobs by queue and state (created, retry, active)',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const row of await depth()) this.set({ queue: row.name, state: row.state }, row.count);
    },
  });
  return {
    outcome: (name, outcome, n = 1) => jobs.inc({ queue: name, outcome }, n),
    duration: (name, seconds) => duration.observe({ queue: name }, seconds),
    claim: (name, seconds) => claim.observe({ queue: name }, seconds),
  };
}
