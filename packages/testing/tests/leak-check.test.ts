import { createServer } from 'node:http';
import { describe, expect, test } from 'vitest';
import { assertNoLeakedResources, captureResources, leakedResources } from '../src/leak-check.js';

describe('leak check', () => {
  test('names a server left listening and passes once it is closed', async () => {
    const baseline = captureResources();
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    expect(leakedResources(baseline)).toEqual({ TCPServerWrap: 1 });
    await expect(assertNoLeakedResources(baseline, { settleMs: 50 })).rejects.toThrow(
      /1 x TCPServerWrap \(a listening server/,
    );
    await new Promise<void>((r) => server.close(() => r()));
    await assertNoLeakedResources(baseline);
  });

  test('names pending timers; unref() timers do not count', async () => {
    // vitest's own timers come and go, so this uses several of ours to stay unambiguous.
    const baseline = captureResources();
    const timers = [1, 2, 3].map(() => setTimeout(() => {}, 60_000));
    const background = setInterval(() => {}, 60_000).unref();
    await expect(assertNoLeakedResources(baseline, { settleMs: 20 })).rejects.toThrow(
      /\d x Timeout \(a timer/,
    );
    await assertNoLeakedResources(baseline, { allow: { Timeout: 3 } });
    for (const t of timers) clearTimeout(t);
    await assertNoLeakedResources(baseline);
    clearInterval(background);
  });
});
