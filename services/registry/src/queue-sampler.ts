/**
 * Queue statistics for every queue in the database, sampled on a timer, with throughput
 * derived from consecutive samples: how many jobs finished (completed or failed) per
 * minute over the last minute of samples.
 *
 * Invariants:
 * - THROUGHPUT_FROM_SAMPLES: no SQL scans the archive by time; throughput is the growth of
 *   the finished counts between samples. It is null until two samples exist, and never
 *   negative (archive retention deletes rows, which shrinks the counts).
 * - SAMPLES_NEVER_OVERLAP: a sample still running when the timer fires is not doubled.
 * Not here: the SQL (@bosun/queue: queueNames, stats, deadLetterQueues).
 */
import type { DeadLetterQueue, Queue, QueueStats } from '@bosun/queue';

export interface QueueSnapshot extends QueueStats {
  /** Jobs finished per minute over the last minute; null before the second sample. */
  throughputPerMinute: number | null;
}

export interface QueueSample {
  at: Date;
  queues: QueueSnapshot[];
  deadLetters: DeadLetterQueue[];
}

export interface QueueSampler {
  /** The latest sample, taking one first when none is fresher than `maxAgeMs`. */
  latest(maxAgeMs?: number): Promise<QueueSample>;
  /** Takes a sample now (shared with one already running). */
  sample(): Promise<QueueSample>;
  stop(): void;
}

const WINDOW_MS = 60_000;

export function createQueueSampler(queue: Queue, options: { intervalMs: number; now?: () => number }) {
  const now = options.now ?? Date.now;
  const history = new Map<string, Array<{ t: number; finished: number }>>();
  let current: Promise<QueueSample> | undefined;
  let last: QueueSample | undefined;

  async function take(): Promise<QueueSample> {
    const names = await queue.queueNames();
    const [stats, deadLetters] = await Promise.all([
      Promise.all(names.map((n) => queue.stats(n))),
      queue.deadLetterQueues(),
    ]);
    const t = now();
    const queues = stats.map((s): QueueSnapshot => {
      const finished = s.counts.completed + s.counts.failed;
      const points = (history.get(s.name) ?? []).filter((p) => t - p.t <= WINDOW_MS);
      points.push({ t, finished });
      history.set(s.name, points);
      const first = points[0]!;
      const throughputPerMinute =
        points.length < 2 || t === first.t
          ? null
          : Math.max(0, Math.round(((finished - first.finished) / (t - first.t)) * 60_000 * 10) / 10);
      return { ...s, throughputPerMinute };
    });
    for (const name of history.keys()) if (!names.includes(name)) history.delete(name);
    last = { at: new Date(t), queues, deadLetters };
    return last;
  }

  function sample(): Promise<QueueSample> {
    current ??= take().finally(() => {
      current = undefined;
    });
    return current;
  }

  const timer = setInterval(() => void sample().catch(() => {}), options.intervalMs);
  timer.unref();

  return {
    async latest(maxAgeMs = options.intervalMs) {
      if (last && now() - last.at.getTime() <= maxAgeMs) return last;
      return sample();
    },
    sample,
    stop() {
      clearInterval(timer);
    },
  } satisfies QueueSampler;
}
