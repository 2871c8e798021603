/**
 * pg-boss 12 with its best options (QUEUE-LESSONS.md): batchSize 100 with
 * burstWhenBatchFull, LISTEN/NOTIFY on (useListenNotify + queue notify) for latency,
 * polling at its 0.5 s minimum. Sends with send() / insert().
 */
import { PgBoss } from 'pg-boss';
import type { Handler, QueueAdapter } from './adapter.js';

export function pgbossAdapter(): QueueAdapter {
  let boss: PgBoss;
  let working = false;
  return {
    name: 'pg-boss',
    async setup(u) {
      boss = new PgBoss({
        connectionString: u,
        useListenNotify: true,
        schedule: false,
        supervise: false,
        max: 10,
      });
      boss.on('error', () => {});
      await boss.start();
      await boss.createQueue('bench', { notify: true });
    },
    async sendOne(data) {
      await boss.send('bench', data);
    },
    async sendMany(items) {
      await boss.insert(
        'bench',
        items.map((data) => ({ data })),
      );
    },
    async work(handler: Handler) {
      working = true;
      await boss.work(
        'bench',
        {
          batchSize: 100,
          burstWhenBatchFull: true,
          pollingIntervalSeconds: 0.5,
          notifyPollingIntervalSeconds: 0.5,
        },
        async (jobs) => {
          for (const job of jobs) handler(job.data as { i: number; t?: number });
        },
      );
    },
    async stopWork() {
      if (working) await boss.offWork('bench', { wait: true });
      working = false;
    },
    async close() {
      await boss.stop({ graceful: true, timeout: 5000 });
    },
  };
}
