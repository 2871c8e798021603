/**
 * The shape every queue under test implements, so each workload runs the same code
 * against bosun, graphile-worker and pg-boss.
 */
export type Handler = (data: { i: number; t?: number }) => void;

export interface QueueAdapter {
  readonly name: string;
  /** Creates tables (not timed). */
  setup(url: string): Promise<void>;
  sendOne(data: { i: number; t?: number }): Promise<void>;
  sendMany(items: Array<{ i: number }>): Promise<void>;
  /** Starts processing with the library's best (peers) or default (bosun) options. */
  work(handler: Handler): Promise<void>;
  /** Stops workers (keeps the connection for more sends). */
  stopWork(): Promise<void>;
  close(): Promise<void>;
}
