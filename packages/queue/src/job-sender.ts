/**
 * Adapts a queue to @bosun/core's JobSender port (`ctx.jobs.send`), which always
 * returns an id: for a send skipped by its singletonKey, the id of the live job that
 * holds the key.
 */
import type { JobSender, JobSendOptions } from '@bosun/core';
import type { Queue } from './create-queue.js';

export function createJobSender(queue: Pick<Queue, 'send' | 'findSingleton'>): JobSender {
  return {
    async send(name: string, data: unknown, options?: JobSendOptions) {
      const id = await queue.send(name, data, options);
      if (id !== null) return { id };
      const existing = options?.singletonKey ? await queue.findSingleton(name, options.singletonKey) : null;
      return { id: existing ?? '' };
    },
  };
}
