/**
 * Queue administration tools, registered only when `adminTools` is given (opt-in):
 * queue_stats, queue_get_job, queue_cancel_job, queue_retry_job, queue_list_dead_letters,
 * queue_redrive.
 *
 * Invariants:
 * - ADMIN_IS_OPT_IN: without the option none of these tools exist (not listed, not callable).
 * - ADMIN_NEEDS_SCOPE: when `scope` is set, a caller without it gets BOSUN_FORBIDDEN (a caller
 *   comes from mountMcp's verifyToken; stdio has none, so set no scope for local stdio use).
 * - Arguments are validated with Zod here: a bad one is BOSUN_VALIDATION_FAILED.
 */
import { coreErrors, validationError } from '@bosun/core';
import { z } from 'zod';
import type { QueueAdminPort } from './jobs.port.js';
import type { ToolCall, ToolEntry } from './tool-registry.js';
import { successResult } from './tool-result.js';

export interface AdminToolsOptions {
  port: QueueAdminPort;
  /** Scope a verified caller needs (e.g. `queue:admin`). Default: none. */
  scope?: string;
}

const jobId = z.string().min(1).max(64);
const queueName = z.string().min(1).max(128);

function tool<S extends Record<string, z.ZodType>>(
  options: AdminToolsOptions,
  name: string,
  description: string,
  shape: S,
  annotations: ToolEntry['annotations'],
  run: (args: z.output<z.ZodObject<S>>, call: ToolCall) => Promise<unknown>,
): ToolEntry {
  const schema = z.object(shape);
  return {
    name,
    title: name.replace(/_/g, ' '),
    description,
    inputSchema: shape,
    annotations,
    async call(args, call) {
      const scopes = call.caller?.user?.scopes ?? [];
      if (options.scope !== undefined && !scopes.includes(options.scope)) {
        throw coreErrors.create('BOSUN_FORBIDDEN', `Tool "${name}" needs scope "${options.scope}".`);
      }
      const parsed = await schema.safeParseAsync(args);
      if (!parsed.success) throw validationError(parsed.error);
      const value = await run(parsed.data as z.output<z.ZodObject<S>>, call);
      return successResult(value);
    },
  };
}

export function adminTools(options: AdminToolsOptions): ToolEntry[] {
  const { port } = options;
  const read = { readOnlyHint: true };
  return [
    tool(
      options,
      'queue_stats',
      'Counts of jobs by state for a queue (all queues when omitted).',
      { queue: queueName.optional() },
      read,
      ({ queue }) => port.stats(queue),
    ),
    tool(
      options,
      'queue_get_job',
      'One job: state, attempts, progress, output or error.',
      { id: jobId },
      read,
      async ({ id }) => {
        const job = await port.getJob(id);
        if (!job) throw coreErrors.create('BOSUN_NOT_FOUND', `No job has id "${id}".`);
        return job;
      },
    ),
    tool(
      options,
      'queue_cancel_job',
      'Cancels a job that has not finished.',
      { id: jobId },
      { readOnlyHint: false, destructiveHint: true },
      async ({ id }) => ({ cancelled: await port.cancel(id) }),
    ),
    tool(
      options,
      'queue_retry_job',
      'Retries a failed or cancelled job.',
      { id: jobId },
      { readOnlyHint: false, destructiveHint: false },
      async ({ id }) => ({ retried: await port.retry(id) }),
    ),
    tool(
      options,
      'queue_list_dead_letters',
      'Jobs in a dead-letter queue, newest first.',
      { queue: queueName, limit: z.number().int().min(1).max(500).default(50) },
      read,
      async ({ queue, limit }) => ({ jobs: await port.listDeadLetters(queue, { limit }) }),
    ),
    tool(
      options,
      'queue_redrive',
      'Moves every job of a dead-letter queue back to its original queue.',
      { deadLetter: queueName },
      { readOnlyHint: false, destructiveHint: false },
      ({ deadLetter }) => port.redrive(deadLetter),
    ),
  ];
}
