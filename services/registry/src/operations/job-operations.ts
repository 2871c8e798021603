/**
 * listJobs — GET /jobs?queue=&state=&from=&to=&cursor=&limit= and getJob — GET /jobs/:id.
 *
 * Invariant KEYSET_PAGES: a page is `id < cursor ORDER BY id DESC LIMIT n` over the live
 * and archived tables (the queue's listJobs), never OFFSET, so page 2,000 costs what page 1
 * costs and a job inserted meanwhile never shifts a page (bench/jobs-list measures both).
 */
import { operation } from '@bosun/core';
import { z } from 'zod';
import { toJobDetail, toJobSummary } from '../job-views.js';
import { registryErrors } from '../registry.errors.js';
import type { RegistryState } from '../registry-state.js';
import { JobDetail, JobId, JobState, JobSummary, QueueName } from '../schemas.js';
import { READ_SCOPE } from './platform-operations.js';

export const ListJobsInput = z.object({
  queue: QueueName,
  state: JobState.optional(),
  from: z.iso.datetime({ offset: true }).optional().describe('Only jobs created at or after this time.'),
  to: z.iso.datetime({ offset: true }).optional().describe('Only jobs created before this time.'),
  cursor: JobId.optional().describe('The nextCursor of the previous page.'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export function jobOperations(state: RegistryState) {
  return {
    listJobs: operation({
      title: 'List jobs',
      description:
        'Jobs of one queue, newest first, live and finished, filtered by state and creation time; pass nextCursor as cursor for the next page.',
      input: ListJobsInput,
      output: z.object({
        jobs: z.array(JobSummary),
        nextCursor: JobId.nullable().describe('Pass as `cursor` for the next page; null on the last page.'),
      }),
      http: 'GET /jobs',
      idempotent: true,
      scope: READ_SCOPE,
      handler: async (input) => {
        const { jobs, next } = await state.queue().listJobs(input.queue, {
          state: input.state,
          limit: input.limit,
          before: input.cursor,
          createdAfter: input.from,
          createdBefore: input.to,
        });
        return { jobs: jobs.map(toJobSummary), nextCursor: next };
      },
    }),
    getJob: operation({
      title: 'Get a job',
      description:
        'One job in full: data, state, attempts, progress, timings, last error with stack, output.',
      input: z.object({ id: JobId }),
      output: JobDetail,
      http: 'GET /jobs/:id',
      idempotent: true,
      scope: READ_SCOPE,
      handler: async ({ id }) => {
        const job = await state.queue().getJob(id);
        if (!job) {
          throw registryErrors.create(
            'REGISTRY_JOB_NOT_FOUND',
            `No job has id ${id}; it may have been deleted or its retention passed.`,
          );
        }
        return toJobDetail(job);
      },
    }),
  };
}
