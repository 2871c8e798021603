/**
 * One job's progress on a stream: the job is read through the public `getJob` operation of the
 * jobs service (GATEWAY_JOBS_SERVICE, default the registry) over the bus, on behalf of the
 * stream's user, every `pollMs`; a `job` event is sent whenever what getJob answers changes,
 * and once the job is terminal the watch ends.
 *
 * Not here: the first read, which stream-route.ts makes before the stream opens so that a
 * refusal (401/403/404) is the HTTP answer.
 *
 * Invariants:
 * - JOB_ACCESS_IS_THE_CALLEES: watching a job is exactly calling getJob — the edge's early
 *   check from the descriptor, then the jobs service re-checks its own definition
 *   (EDGE_ACCESS_IS_RECHECKED; the registry requires `registry:read`). The gateway adds no rule
 *   of its own, so the stream can never show a job the REST route would refuse.
 * - POLLS_DO_NOT_OVERLAP: a read still running when the next tick comes skips that tick.
 * - A failed read is an `event: problem` with its code, and the watch keeps polling: the
 *   registry restarting must not end every client's stream.
 */
import { toBosunError } from '@bosun/core';
import type { CatalogEntry } from './catalog.js';
import type { Forwarder, ForwardOptions } from './forwarder.js';
import type { SseStream } from './sse-streams.js';

export const TERMINAL_JOB_STATES: ReadonlySet<string> = new Set(['completed', 'failed', 'cancelled']);

export interface JobWatchOptions {
  stream: SseStream;
  entry: CatalogEntry;
  forwarder: Forwarder;
  call: ForwardOptions;
  jobId: string;
  /** What the first read answered (already sent by the caller). */
  first: unknown;
  pollMs: number;
  onFinished: () => void;
}

export const isTerminalJob = (job: unknown): boolean =>
  typeof job === 'object' &&
  job !== null &&
  TERMINAL_JOB_STATES.has(String((job as { state?: unknown }).state));

/** Starts polling; returns the function that stops it. */
export function watchJob(options: JobWatchOptions): () => void {
  const { stream, entry, forwarder, call, jobId } = options;
  let last = JSON.stringify(options.first);
  let busy = false;
  let stopped = false;
  const tick = async () => {
    if (busy || stopped) return;
    busy = true;
    try {
      const job = await forwarder.forward(entry, { id: jobId }, call);
      if (stopped) return;
      const text = JSON.stringify(job);
      if (text !== last) {
        last = text;
        stream.send('job', job);
      }
      if (isTerminalJob(job)) {
        stop();
        options.onFinished();
      }
    } catch (error) {
      if (stopped) return;
      const err = toBosunError(error);
      stream.send('problem', { code: err.code, status: err.status, retryable: err.retryable, jobId });
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void tick(), options.pollMs);
  timer.unref?.();
  const stop = () => {
    stopped = true;
    clearInterval(timer);
  };
  return stop;
}
