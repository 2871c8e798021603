/**
 * retryJob — POST /jobs/:id/retry, cancelJob — POST /jobs/:id/cancel, redriveDeadLetters —
 * POST /dead-letters/:queue/redrive. Each needs an admin caller (ADMIN_NEEDS_SCOPE) and
 * changes nothing otherwise; a job in the wrong state is a 409 naming the state.
 */
import { operation } from '@bosun/core';
import { z } from 'zod';
import { ADMIN_SCOPE, assertAdmin } from '../admin-auth.js';
import { registryErrors } from '../registry.errors.js';
import type { RegistryState } from '../registry-state.js';
import { JobId, JobState, QueueName } from '../schemas.js';

async function stateOf(state: RegistryState, id: string) {
  const job = await state.queue().getJob(id);
  if (!job) {
    throw registryErrors.create('REGISTRY_JOB_NOT_FOUND', `No job has id ${id}; nothing was changed.`);
  }
  return job.state;
}

export function adminOperations(state: RegistryState) {
  return {
    retryJob: operation({
      title: 'Retry a job',
      description: 'Queues a failed or cancelled job again, attempts reset. Needs registry:admin.',
      input: z.object({ id: JobId }),
      output: z.object({ id: JobId, state: JobState }),
      http: 'POST /jobs/:id/retry',
      scope: ADMIN_SCOPE,
      mcp: { annotations: { destructiveHint: false, idempotentHint: false } },
      handler: async ({ id }, ctx) => {
        assertAdmin(ctx, 'Retrying a job');
        if (!(await state.queue().retry(id))) {
          const current = await stateOf(state, id);
          throw registryErrors.create(
            'REGISTRY_JOB_NOT_RETRYABLE',
            `Job ${id} is ${current}; only failed or cancelled jobs can be retried.`,
          );
        }
        ctx.log.info({ jobId: id, caller: ctx.caller.user?.id ?? ctx.caller.service }, 'job retried');
        return { id, state: await stateOf(state, id) };
      },
    }),
    cancelJob: operation({
      title: 'Cancel a job',
      description:
        'Cancels a queued, retrying or active job (an active handler is not interrupted). Needs registry:admin.',
      input: z.object({ id: JobId }),
      output: z.object({ id: JobId, state: JobState }),
      http: 'POST /jobs/:id/cancel',
      scope: ADMIN_SCOPE,
      mcp: { annotations: { destructiveHint: true, idempotentHint: true } },
      handler: async ({ id }, ctx) => {
        assertAdmin(ctx, 'Cancelling a job');
        if (!(await state.queue().cancel(id))) {
          const current = await stateOf(state, id);
          throw registryErrors.create(
            'REGISTRY_JOB_NOT_CANCELLABLE',
            `Job ${id} is ${current}; only queued, retrying or active jobs can be cancelled.`,
          );
        }
        ctx.log.info({ jobId: id, caller: ctx.caller.user?.id ?? ctx.caller.service }, 'job cancelled');
        return { id, state: await stateOf(state, id) };
      },
    }),
    redriveDeadLetters: operation({
      title: 'Redrive dead letters',
      description:
        'Moves every queued job of a dead-letter queue back to the queue it failed on, attempts reset. Needs registry:admin.',
      input: z.object({ queue: QueueName }),
      output: z.object({ queue: z.string(), moved: z.number().int() }),
      http: 'POST /dead-letters/:queue/redrive',
      scope: ADMIN_SCOPE,
      mcp: { annotations: { destructiveHint: false, idempotentHint: true } },
      handler: async ({ queue }, ctx) => {
        assertAdmin(ctx, 'Redriving dead letters');
        const moved = await state.queue().redrive(queue);
        ctx.log.info(
          { queue, moved, caller: ctx.caller.user?.id ?? ctx.caller.service },
          'dead letters redriven',
        );
        return { queue, moved };
      },
    }),
  };
}
