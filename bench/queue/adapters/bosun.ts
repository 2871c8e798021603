/** bosun with DEFAULT options: createQueue({ db }) and work(name, {}, handler). */
import { createQueue, type Queue } from '@bosun/queue';
import type { Handler, QueueAdapter } from './adapter.js';

export function bosunAdapter(opts: { separateSender?: boolean } = {}): QueueAdapter & { queue(): Queue } {
  let queue: Queue;
  let worker: Queue | undefined;
  let url = '';
  return {
    name: opts.separateSender ? 'bosun (other process)' : 'bosun',
    queue: () => queue,
    async setup(u) {
      url = u;
      queue = createQueue({ db: u });
      await queue.start();
    },
    async sendOne(data) {
      await queue.send('bench', data);
    },
    async sendMany(items) {
      await queue.sendBatch(
        'bench',
        items.map((data) => ({ data })),
      );
    },
    async work(handler: Handler) {
      // separateSender: the worker lives in another queue instance, so wake-ups go through NOTIFY.
      worker = opts.separateSender ? createQueue({ db: url }) : queue;
      if (worker !== queue) await worker.start();
      await worker.work('bench', {}, (job) => handler(job.data as { i: number; t?: number }));
    },
    async stopWork() {
      if (worker && worker !== queue) await worker.stop();
      else if (worker) {
        // A queue has one worker per name; restart a fresh instance to keep sending.
        await queue.stop();
        queue = createQueue({ db: url });
        await queue.start();
      }
      worker = undefined;
    },
    async close() {
      await worker?.stop();
      await queue.stop();
    },
  };
}
