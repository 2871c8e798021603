/**
 * Long-running tools: an operation with `longRunning: { job, waitMs }` called over MCP.
 * The call goes through invoke() like any other (its handler sends the job with
 * `ctx.jobs.send(job, data)`, which is routed to the jobs port), then waits up to `waitMs`
 * for the job, streaming `notifications/progress` when the client sent a progressToken.
 * A finished job's output is the tool result; a job still running returns a handle
 * `{ jobId, state, resource: 'bosun://jobs/<id>' }` the agent reads later.
 *
 * Invariants:
 * - JOB_OUTLIVES_CALL: returning a handle never cancels the job; the resource reads it through
 *   the port, so it survives a server restart when the port's queue is durable.
 * - JOB_HANDLE_FIRST: when the client sent a progressToken, the first progress notification
 *   (progress 0, before any wait) carries `_meta['bosun.dev/job'] = { jobId, resource }`, so an
 *   agent whose call is cut off (the server restarts, its own timeout fires) still knows where
 *   the result will be. Job progress reported at 0 is then not sent again (progress increases).
 * - A failed job is `isError` with the job error's code when it has one, else BOSUN_MCP_JOB_FAILED.
 */
import {
  type AnyOperation,
  type AnyService,
  BosunError,
  type BosunErrorJSON,
  invoke,
  type JobSender,
  type OperationContext,
} from '@bosun/core';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { type JobSnapshot, type JobsPort, jobResourceUri, TERMINAL_STATES } from './jobs.port.js';
import { mcpErrors } from './mcp.errors.js';
import type { ToolCall } from './tool-registry.js';
import { successResult } from './tool-result.js';

export const JOB_META_KEY = 'bosun.dev/job';
const DEFAULT_WAIT_MS = 25_000;

export interface LongRunningCall {
  service: AnyService;
  name: string;
  op: AnyOperation;
  input: unknown;
  ctx: OperationContext;
  call: ToolCall;
  jobs: JobsPort;
  pollIntervalMs?: number | undefined;
}

export async function longRunningCall(options: LongRunningCall): Promise<CallToolResult> {
  const { op, ctx, call, jobs } = options;
  const jobName = op.longRunning!.job;
  let jobId: string | undefined;
  const sender: JobSender = {
    async send(name, data, sendOptions) {
      if (name !== jobName || jobId !== undefined) return ctx.jobs.send(name, data, sendOptions);
      const sent = await jobs.send(name, data, sendOptions as Record<string, unknown> | undefined);
      jobId = sent.id;
      return sent;
    },
  };
  await invoke(options.service, options.name, options.input, { ...ctx, jobs: sender });
  if (jobId === undefined) {
    throw mcpErrors.create(
      'BOSUN_MCP_JOB_NOT_ENQUEUED',
      `Operation "${options.name}" is longRunning with job "${jobName}" but its handler did not call ctx.jobs.send("${jobName}", data).`,
    );
  }
  const id = jobId;
  const resource = jobResourceUri(id);
  await call.progress(0, `Job ${id} started; its result will be at ${resource}.`, undefined, {
    [JOB_META_KEY]: { jobId: id, resource },
  });
  const unsubscribe = jobs.onProgress(id, (p) => void call.progress(p.value, p.message, p.total));
  try {
    const job = await waitForJob(
      jobs,
      id,
      op.longRunning!.waitMs ?? DEFAULT_WAIT_MS,
      call.extra.signal,
      options.pollIntervalMs ?? 250,
    );
    const handle = { jobId: id, state: job?.state ?? 'created', resource: jobResourceUri(id) };
    if (job?.state === 'completed') {
      return { ...successResult(job.output), _meta: { [JOB_META_KEY]: handle } };
    }
    if (job && TERMINAL_STATES.has(job.state)) throw jobError(job);
    call.log.debug({ jobId: id }, 'long-running tool returned a handle');
    return { ...successResult(handle), _meta: { [JOB_META_KEY]: handle } };
  } finally {
    unsubscribe();
  }
}

/** Resolves with the job once terminal, or with its state when `waitMs` passes or `signal` aborts. */
async function waitForJob(
  jobs: JobsPort,
  id: string,
  waitMs: number,
  signal: AbortSignal,
  pollIntervalMs: number,
): Promise<JobSnapshot | null | undefined> {
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), waitMs);
  timer.unref?.();
  const onAbort = () => deadline.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    if (jobs.waitForTerminal) {
      const done = await jobs.waitForTerminal(id, deadline.signal).catch(() => undefined);
      if (done && TERMINAL_STATES.has(done.state)) return done;
      return jobs.get(id);
    }
    while (!deadline.signal.aborted) {
      const job = await jobs.get(id);
      if (!job || TERMINAL_STATES.has(job.state)) return job;
      await sleep(pollIntervalMs, deadline.signal);
    }
    return jobs.get(id);
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

function jobError(job: JobSnapshot): BosunError {
  const e = job.error as (Partial<BosunErrorJSON> & { message?: string }) | undefined;
  if (e && typeof e.code === 'string') {
    return new BosunError({
      code: e.code,
      status: typeof e.status === 'number' ? e.status : 500,
      retryable: e.retryable === true,
      title: typeof e.title === 'string' ? e.title : 'The job failed',
      detail: e.detail ?? e.message,
    });
  }
  const detail =
    job.state === 'cancelled'
      ? `Job ${job.id} was cancelled.`
      : `Job ${job.id} failed${e?.message ? `: ${e.message}` : '.'}`;
  return mcpErrors.create('BOSUN_MCP_JOB_FAILED', detail, {
    meta: { jobId: job.id, resource: jobResourceUri(job.id) },
  });
}
