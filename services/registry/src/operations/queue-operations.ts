/**
 * queueStats — GET /queues (counts by state and throughput for every queue in the
 * database); listSchedules — GET /schedules (with next run); listDeadLetters — GET
 * /dead-letters (dead-letter queues holding jobs to redrive). Reads only.
 */
import { operation } from '@bosun/core';
import { z } from 'zod';
import { toScheduleInfo } from '../job-views.js';
import type { RegistryState } from '../registry-state.js';
import { DeadLetterInfo, QueueInfo, ScheduleInfo } from '../schemas.js';
import { READ_SCOPE } from './platform-operations.js';

export function queueOperations(state: RegistryState) {
  return {
    queueStats: operation({
      title: 'Queue statistics',
      description:
        'Every queue with live jobs, retained finished jobs or a schedule: counts by state, age of the oldest waiting job, and jobs finished per minute.',
      input: z.object({}),
      output: z.object({ sampledAt: z.string(), queues: z.array(QueueInfo) }),
      http: 'GET /queues',
      idempotent: true,
      scope: READ_SCOPE,
      handler: async () => {
        const sample = await state.sampler().latest();
        const origins = new Map<string, string[]>();
        for (const d of sample.deadLetters) origins.set(d.name, [...(origins.get(d.name) ?? []), d.origin]);
        return {
          sampledAt: sample.at.toISOString(),
          queues: sample.queues.map((q) => ({
            name: q.name,
            counts: q.counts,
            oldestQueuedSeconds: q.oldestQueuedSeconds,
            throughputPerMinute: q.throughputPerMinute,
            deadLetterFor: origins.get(q.name) ?? [],
          })),
        };
      },
    }),
    listSchedules: operation({
      title: 'List schedules',
      description: 'Every cron schedule with its time zone, last tick and next run.',
      input: z.object({}),
      output: z.object({ schedules: z.array(ScheduleInfo) }),
      http: 'GET /schedules',
      idempotent: true,
      scope: READ_SCOPE,
      handler: async () => ({ schedules: (await state.queue().getSchedules()).map(toScheduleInfo) }),
    }),
    listDeadLetters: operation({
      title: 'List dead letters',
      description:
        'Dead-letter queues with jobs waiting, per queue they failed on; redriveDeadLetters moves them back.',
      input: z.object({}),
      output: z.object({ deadLetters: z.array(DeadLetterInfo) }),
      http: 'GET /dead-letters',
      idempotent: true,
      scope: READ_SCOPE,
      handler: async () => ({ deadLetters: await state.queue().deadLetterQueues() }),
    }),
  };
}
