/**
 * The readiness poller against real HTTP servers on loopback: a 200, a 503 with the health
 * server's body, a port nobody listens on, and a server that never answers (bounded by the
 * timeout: POLL_NEVER_OVERLAPS). ONE_POLL_PER_HEALTH_SERVER: targets are keyed by host:port.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, test } from 'vitest';
import { createHealthPoller } from '../src/health-poller.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map(
      (s) =>
        new Promise<void>((r) => {
          s.closeAllConnections();
          s.close(() => r());
        }),
    ),
  );
});

async function serve(handler: Parameters<typeof createServer>[1]): Promise<number> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

test('a 200 is ready; a 503 is not, with the failing checks named; a closed port and a hung server are not', async () => {
  let hits = 0;
  const ready = await serve((_req, res) => {
    hits++;
    res.end('{"status":"ok"}');
  });
  const unready = await serve((_req, res) => {
    res.writeHead(503, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        status: 'unavailable',
        state: 'ready',
        checks: { queue: { ok: false, ms: 1 }, db: { ok: true, ms: 1 } },
      }),
    );
  });
  const hung = await serve(() => {});
  const closed = await serve((_req, res) => res.end());
  servers.pop()!.close();

  const poller = createHealthPoller({ timeoutMs: 300 });
  const targets = [ready, unready, hung, closed].map((port) => ({ host: '127.0.0.1', port }));
  await poller.poll([...targets, targets[0]!]);
  expect(hits).toBe(1);
  expect(poller.get(targets[0]!)).toMatchObject({ ok: true, status: 200 });
  expect(poller.get(targets[1]!)).toMatchObject({
    ok: false,
    status: 503,
    detail: 'state ready; failing: queue',
  });
  expect(poller.get(targets[2]!)).toMatchObject({ ok: false, status: 0, detail: 'no answer within 300 ms' });
  expect(poller.get(targets[3]!)).toMatchObject({ ok: false, status: 0, detail: 'ECONNREFUSED' });

  poller.retain([targets[0]!]);
  expect(poller.get(targets[1]!)).toBeUndefined();
  expect(poller.get(targets[0]!)?.ok).toBe(true);
  poller.stop();
});
