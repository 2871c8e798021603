/**
 * Leak check: after a test file, no pool connection, server, child process or timer that
 * the file opened may still be keeping the event loop alive.
 *
 * It compares `process.getActiveResourcesInfo()` (the resources keeping the loop alive,
 * by type: TCPSocketWrap, TCPServerWrap, Timeout, ProcessWrap, ...) with a baseline taken
 * before the file's tests. Unref'd timers and sockets do not count: they cannot keep a
 * process from exiting.
 *
 * Invariants:
 * - Closing is often asynchronous, so the check retries for `settleMs` before failing.
 * - The failure names every leaked resource type and how many, and says what to close.
 */
import { afterAll, beforeAll } from 'vitest';

export type ResourceCounts = Record<string, number>;

/** Counts the resources keeping the event loop alive, by type. */
export function captureResources(): ResourceCounts {
  const counts: ResourceCounts = {};
  for (const type of process.getActiveResourcesInfo()) counts[type] = (counts[type] ?? 0) + 1;
  return counts;
}

export interface LeakCheckOptions {
  /** How long resources may take to close. Default 500 ms. */
  settleMs?: number;
  /** Resource types (or extra counts per type) that are allowed to remain. */
  allow?: Record<string, number>;
}

const hints: Record<string, string> = {
  TCPSocketWrap: 'an open socket: end pg pools/clients (pool.end()), close HTTP keep-alive agents',
  TCPServerWrap: 'a listening server: close it (server.close(), app.close(), lifecycle.stop())',
  Timeout: 'a timer: clear it or unref() it',
  Immediate: 'a setImmediate that never ran',
  ProcessWrap: 'a child process: kill it and await its exit',
  PipeWrap: 'a pipe (usually a child process stdio)',
  FSReqCallback: 'a pending fs operation',
};

/** The resources beyond `baseline` (and `allow`), as `{ type: extra }`. */
export function leakedResources(
  baseline: ResourceCounts,
  allow: Record<string, number> = {},
): ResourceCounts {
  const leaked: ResourceCounts = {};
  for (const [type, count] of Object.entries(captureResources())) {
    const extra = count - (baseline[type] ?? 0) - (allow[type] ?? 0);
    if (extra > 0) leaked[type] = extra;
  }
  return leaked;
}

/**
 * Waits up to `settleMs` for the resources to return to `baseline`; throws naming the leaks.
 * @example
 * const baseline = captureResources();
 * afterAll(() => assertNoLeakedResources(baseline));
 */
export async function assertNoLeakedResources(
  baseline: ResourceCounts,
  options: LeakCheckOptions = {},
): Promise<void> {
  const until = performance.now() + (options.settleMs ?? 500);
  let leaked = leakedResources(baseline, options.allow);
  while (Object.keys(leaked).length > 0 && performance.now() < until) {
    await new Promise((r) => setTimeout(r, 20).unref());
    leaked = leakedResources(baseline, options.allow);
  }
  if (Object.keys(leaked).length === 0) return;
  const lines = Object.entries(leaked).map(
    ([type, n]) => `  ${n} x ${type}${hints[type] ? ` (${hints[type]})` : ''}`,
  );
  throw new Error(
    `Leak check: resources still keep the event loop alive after this file's tests:\n${lines.join('\n')}`,
  );
}

/**
 * Registers the leak check for this test file: a baseline in beforeAll, the assertion in
 * afterAll. Call it before other hooks that open resources (useTestDatabase, servers), so
 * its afterAll runs after theirs have closed them.
 * @example
 * useLeakCheck();
 * const db = useTestDatabase();
 */
export function useLeakCheck(options: LeakCheckOptions = {}): void {
  let baseline: ResourceCounts = {};
  beforeAll(() => {
    baseline = captureResources();
  });
  afterAll(() => assertNoLeakedResources(baseline, options));
}
