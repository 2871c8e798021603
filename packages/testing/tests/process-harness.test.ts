import { fileURLToPath } from 'node:url';
import { freePort } from '@bosun/core';
import { describe, expect, test } from 'vitest';
import { spawnService } from '../src/process-harness.js';

const entry = fileURLToPath(new URL('./fixtures/tiny-server.ts', import.meta.url));
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('spawnService', () => {
  let leftRunning = -1;

  test('collects stdout and stderr, waits for lines and HTTP, and reports the exit', async () => {
    const port = await freePort();
    const svc = spawnService({ entry, env: { PORT: String(port) } });
    expect(await svc.waitForLine(/tiny: booting/)).toBe('tiny: booting');
    await svc.waitForLine(/"msg":"listening"/);
    expect(await svc.waitForHttp(`http://127.0.0.1:${port}/`, 200)).toEqual({ status: 200, body: 'hello' });
    expect(svc.logs()).toEqual([{ msg: 'listening', port }]);
    svc.kill('SIGTERM');
    expect(await svc.exited).toEqual({ code: 3, signal: null });
    expect(svc.stderr).toContain('tiny: booting');
  });

  test('a wait fails when the process exits first, and the error shows its output', async () => {
    const svc = spawnService({ entry, env: {}, args: ['crash'] });
    const error = await svc.waitForLine(/never printed/).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(
      /process exited before a line matched[\s\S]*"code":2[\s\S]*tiny: cannot continue/,
    );
    const http = await svc.waitForHttp('http://127.0.0.1:1/', 200).catch((e: Error) => e);
    expect((http as Error).message).toContain('process exited before http://127.0.0.1:1/ answered 200');
  });

  test('NO_ORPHANS (setup): a process left running by a test...', async () => {
    const port = await freePort();
    const svc = spawnService({ entry, env: { PORT: String(port) } });
    await svc.waitForLine(/listening/);
    leftRunning = svc.pid;
    expect(alive(leftRunning)).toBe(true);
  });

  test('NO_ORPHANS: ...is killed when that test finishes', async () => {
    for (let i = 0; i < 100 && alive(leftRunning); i++) await new Promise((r) => setTimeout(r, 20));
    expect(alive(leftRunning)).toBe(false);
  });
});
