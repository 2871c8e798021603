/**
 * NATS for tests: the URL the global setup provides (`NATS_URL`), and a describe that
 * skips when there is none.
 *
 * Invariant NOTHING_SKIPPED_IN_CI: under CI=true the global setup fails without NATS_URL,
 * so `describeWithNats` only ever skips on a developer machine.
 */
import { describe, inject } from 'vitest';

/** The NATS server for tests, or undefined when none is configured. */
export function natsUrl(): string | undefined {
  // NATS_URL= (empty) means "not configured", like unset.
  return inject('natsUrl') || undefined;
}

/** The NATS URL; throws, saying how to provide one, when there is none. Use inside tests. */
export function requireNats(): string {
  const url = natsUrl();
  if (!url) {
    throw new Error(
      'This test needs NATS: start one (nats-server -a 127.0.0.1 -p 4222 -js) and set NATS_URL=nats://127.0.0.1:4222.',
    );
  }
  return url;
}

/**
 * `describe` that skips its block when no NATS is configured (never under CI).
 * @example
 * describeWithNats('NATS transport', () => { test('...', async () => { const url = requireNats(); }); });
 */
export function describeWithNats(name: string, fn: () => void): void {
  describe.skipIf(natsUrl() === undefined)(name, fn);
}
