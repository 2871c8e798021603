/**
 * graphile-worker 0.18 with its best batching options (QUEUE-LESSONS.md: localQueue +
 * batched completion): concurrentJobs 10, localQueue.size 100, completeJobBatchDelay 0,
 * failJobBatchDelay 0. Sends through WorkerUtils (addJob / addJobs).
 */
import { makeWorkerUtils, type Runner, run, runMigrations, type WorkerUtils } from 'graphile-worker';
import type { Handler, QueueAdapter } from './adapter.js';

export function graphileAdapter(): QueueAdapter {
  let url = '';
  let utils: WorkerUtils;
  let runner: Runner | undefined;
  return {
    name: 'graphile-worker',
    async setup(u) {
      url = u;
      const { Logger } = await import('graphile-worker');
      await runMigrations({ connectionString: u, logger: new Logger(() => () => {}) });
      utils = await makeWorkerUtils({ connectionString: u, logger: new Logger(() => () => {}) });
    },
    async sendOne(data) {
      await utils.addJob('bench', data);
    },
    async sendMany(items) {
      await utils.addJobs(items.map((payload) => ({ identifier: 'bench', payload })));
    },
    async work(handler: Handler) {
      const { Logger } = await import('graphile-worker');
      runner = await run({
        connectionString: url,
        concurrency: 10,
        noHandleSignals: true,
        pollInterval: 1000,
        logger: new Logger(() => () => {}),
        taskList: {
          bench: async (payload) => {
            handler(payload as { i: number; t?: number });
          },
        },
        preset: {
          worker: {
            localQueue: { size: 100 },
            completeJobBatchDelay: 0,
            failJobBatchDelay: 0,
          },
        },
      });
    },
    async stopWork() {
      await runner?.stop();
      runner = undefined;
    },
    async close() {
      await runner?.stop();
      await utils.release();
    },
  };
}
