/**
 * A nats-server of the test's own (never the system one on 4222), for tests that stop
 * and restart the server. Same port and store across restarts, so JetStream state survives.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BINARY = '/usr/sbin/nats-server';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface OwnNatsServer {
  url: string;
  start(): Promise<void>;
  /** SIGTERM to our own pid; resolves once it exited. */
  stop(): Promise<void>;
  /** stop() and delete the store. */
  dispose(): Promise<void>;
}

export async function ownNatsServer(): Promise<OwnNatsServer> {
  const port = await freePort();
  const store = mkdtempSync(join(tmpdir(), 'bosun-nats-'));
  let child: ChildProcess | undefined;
  const server: OwnNatsServer = {
    url: `nats://127.0.0.1:${port}`,
    start() {
      return new Promise((resolve, reject) => {
        const proc = spawn(BINARY, ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', store], {
          stdio: ['ignore', 'ignore', 'pipe'],
        });
        child = proc;
        let log = '';
        proc.stderr?.on('data', (chunk: Buffer) => {
          log += chunk.toString();
          if (log.includes('Server is ready')) resolve();
        });
        proc.once('exit', (code) => reject(new Error(`nats-server exited (${code}) before ready:\n${log}`)));
      });
    },
    async stop() {
      const proc = child;
      child = undefined;
      if (!proc || proc.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
      proc.kill('SIGTERM');
      await exited;
    },
    async dispose() {
      await server.stop();
      rmSync(store, { recursive: true, force: true });
    },
  };
  return server;
}
