/**
 * Adapts the job queue to the ports @bosun/mcp uses: JobsPort for long-running tools
 * (enqueue, read, progress, wait) and QueueAdminPort for the opt-in queue admin tools.
 *
 * Progress and completion are observed by polling getJob (every 250 ms while someone
 * listens): the job may run in any replica, so the database is the one place that knows.
 */
import type { JobProgress, JobSnapshot, JobsPort, QueueAdminPort } from '@bosun/mcp';
import { TERMINAL_STATES } from '@bosun/mcp';
import type { JobRecord, Queue } from '@bosun/queue';
import type { QueueComponent } from './queue-component.js';

const POLL_MS = 250;

function snapshot(job: JobRecord | null): JobSnapshot | null {
  if (!job) return null;
  return {
    id: job.id,
    state: job.state,
    output: job.output ?? undefined,
    error: job.lastError ?? undefined,
    progress: job.progress ?? undefined,
  };
}

export function queueJobsPort(component: QueueComponent): JobsPort {
  const q = (): Queue => component.queue;
  return {
    send: (name, data, options) => component.jobs.send(name, data, options),
    get: async (id) => snapshot(await q().getJob(id)),
    onProgress(id, cb) {
      let last = '';
      let stopped = false;
      const tick = async () => {
        if (stopped) return;
        const job = await q()
          .getJob(id)
          .catch(() => null);
        if (job?.progress) {
          const key = JSON.stringify(job.progress);
          if (key !== last) {
            last = key;
            const p: JobProgress = { value: job.progress.value, message: job.progress.message };
            cb(p);
          }
        }
        if (!stopped && job && !TERMINAL_STATES.has(job.state)) timer = setTimeout(tick, POLL_MS);
      };
      let timer: NodeJS.Timeout = setTimeout(tick, 0);
      return () => {
        stopped = true;
        clearTimeout(timer);
      };
    },
    async waitForTerminal(id, signal) {
      while (!signal.aborted) {
        const job = snapshot(await q().getJob(id));
        if (!job || TERMINAL_STATES.has(job.state)) return job;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, POLL_MS);
          signal.addEventListener(
            'abort',
            () => {
              clearTimeout(timer);
              resolve();
            },
            { once: true },
          );
        });
      }
      return snapshot(await q().getJob(id));
    },
  };
}

/** The opt-in queue admin tools' port (MCP_QUEUE_ADMIN): stats, read, cancel, retry, dead letters, redrive. */
export function queueAdminPort(component: QueueComponent, queues: () => string[]): QueueAdminPort {
  const q = (): Queue => component.queue;
  return {
    async stats(name) {
      const names = name ? [name] : queues();
      return Promise.all(names.map((n) => q().stats(n)));
    },
    getJob: (id) => q().getJob(id),
    cancel: (id) => q().cancel(id),
    retry: (id) => q().retry(id),
    listDeadLetters: async (name, { limit }) => (await q().listJobs(name, { limit })).jobs,
    redrive: async (name) => ({ count: await q().redrive(name) }),
  };
}
