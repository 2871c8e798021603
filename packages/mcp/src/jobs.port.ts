/**
 * The ports @bosun/mcp needs from a job queue. @bosun/mcp never imports the queue; the
 * runtime adapts @bosun/queue to these shapes (tests use in-memory fakes).
 */

/** A job as a long-running tool and the `bosun://jobs/{id}` resource see it. */
export interface JobSnapshot {
  id: string;
  /** `created` | `retry` | `active` | `completed` | `failed` | `cancelled` (others are treated as pending). */
  state: string;
  output?: unknown;
  /** The stored error of a failed job; a `code` in it is passed on to the tool result. */
  error?: unknown;
  /** The last progress the job reported (`job.progress(...)`). */
  progress?: unknown;
}

export interface JobProgress {
  /** Monotonic progress value (e.g. 0..100). */
  value: number;
  total?: number;
  message?: string;
}

export interface JobsPort {
  /** Enqueues the long-running operation's job. */
  send(name: string, data: unknown, options?: Record<string, unknown>): Promise<{ id: string }>;
  /** The job now; undefined/null when no job has this id. */
  get(id: string): Promise<JobSnapshot | null | undefined>;
  /** Calls `cb` on each progress report of the job; returns the unsubscribe function. */
  onProgress(id: string, cb: (progress: JobProgress) => void): () => void;
  /**
   * Optional: resolves when the job reaches a terminal state (or `signal` aborts). Without
   * it, the tool polls `get` every `pollIntervalMs`.
   */
  waitForTerminal?(id: string, signal: AbortSignal): Promise<JobSnapshot | null | undefined>;
}

/** Queue administration, for the opt-in `queue_*` tools. */
export interface QueueAdminPort {
  stats(queue?: string): Promise<unknown>;
  getJob(id: string): Promise<unknown | null | undefined>;
  cancel(id: string): Promise<boolean>;
  retry(id: string): Promise<boolean>;
  listDeadLetters(queue: string, options: { limit: number }): Promise<unknown[]>;
  redrive(deadLetterQueue: string): Promise<{ count: number }>;
}

export const TERMINAL_STATES: ReadonlySet<string> = new Set(['completed', 'failed', 'cancelled']);

export const jobResourceUri = (id: string) => `bosun://jobs/${encodeURIComponent(id)}`;
