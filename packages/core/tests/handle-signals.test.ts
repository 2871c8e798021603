import { EventEmitter } from 'node:events';
import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { loadConfig } from '../src/config/load-config.js';
import { createLifecycle } from '../src/lifecycle/create-lifecycle.js';
import { handleSignals, runMain } from '../src/lifecycle/handle-signals.js';
import { captureLog } from './support/capture-log.js';

/** A fake process: records exit codes and stderr; signals are emitted by the test. */
function fakeProcess() {
  const emitter = new EventEmitter();
  let stderr = '';
  let resolveExit!: (code: number) => void;
  const exitCode = new Promise<number>((r) => {
    resolveExit = r;
  });
  const codes: number[] = [];
  return {
    on: (event: string, listener: (...args: unknown[]) => void) => emitter.on(event, listener),
    off: (event: string, listener: (...args: unknown[]) => void) => emitter.off(event, listener),
    emit: (event: string, ...args: unknown[]) => emitter.emit(event, ...args),
    listenerCount: (event: string) => emitter.listenerCount(event),
    exit: (code = 0) => {
      codes.push(code);
      resolveExit(code);
    },
    stderr: {
      write: (text: string) => {
        stderr += text;
      },
    },
    get stderrText() {
      return stderr;
    },
    codes,
    exitCode,
  };
}

describe('handleSignals', () => {
  test('SIGTERM stops the lifecycle and exits 0 when everything drained', async () => {
    const proc = fakeProcess();
    const lifecycle = createLifecycle({ log: captureLog().log });
    await lifecycle.start();
    handleSignals(lifecycle, proc, { log: captureLog().log });
    proc.emit('SIGTERM');
    expect(lifecycle.isReady()).toBe(false);
    expect(await proc.exitCode).toBe(0);
    expect(lifecycle.state).toBe('stopped');
  });

  test('the same signal twice within the duplicate window is one signal (npm and tsx both relay it)', async () => {
    const proc = fakeProcess();
    let clock = 0;
    let release!: () => void;
    const lifecycle = createLifecycle({ log: captureLog().log });
    lifecycle.register({
      name: 'slow',
      drain: () =>
        new Promise<void>((r) => {
          release = r;
        }),
    });
    await lifecycle.start();
    handleSignals(lifecycle, proc, { log: captureLog().log, now: () => clock });
    proc.emit('SIGTERM');
    clock = 30;
    proc.emit('SIGTERM');
    expect(proc.codes).toEqual([]);
    clock = 1500;
    proc.emit('SIGTERM');
    expect(await proc.exitCode).toBe(1);
    release();
  });

  test('an unhandled rejection is logged and stops the service with exit 1', async () => {
    const proc = fakeProcess();
    const { log, lines } = captureLog();
    const lifecycle = createLifecycle({ log });
    await lifecycle.start();
    handleSignals(lifecycle, proc, { log });
    proc.emit('unhandledRejection', new Error('nobody awaited me'));
    expect(await proc.exitCode).toBe(1);
    expect(lines().find((l) => l.msg === 'unhandled promise rejection: stopping')).toMatchObject({
      level: 'error',
      err: { message: 'nobody awaited me' },
    });
  });

  test('the returned function removes every handler it installed', () => {
    const proc = fakeProcess();
    const dispose = handleSignals(createLifecycle({ log: captureLog().log }), proc, {
      log: captureLog().log,
    });
    expect(proc.listenerCount('SIGTERM') + proc.listenerCount('SIGINT')).toBe(2);
    dispose();
    for (const event of ['SIGTERM', 'SIGINT', 'unhandledRejection', 'uncaughtException']) {
      expect(proc.listenerCount(event)).toBe(0);
    }
  });
});

describe('runMain', () => {
  test('a config error goes to stderr as one message listing every variable, and exits 1', async () => {
    const proc = fakeProcess();
    await runMain(
      () => {
        loadConfig(z.object({ TOKEN: z.string() }), { PORT: 'x', LOG_LEVEL: 'loud' });
        throw new Error('unreachable');
      },
      { process: proc },
    );
    expect(proc.codes).toEqual([1]);
    expect(proc.stderrText).toMatch(/^bosun: BOSUN_CONFIG_INVALID: /);
    for (const name of ['LOG_LEVEL', 'PORT', 'TOKEN']) expect(proc.stderrText).toContain(`  ${name}: `);
  });

  test('a component that fails to start stops what started and exits 1', async () => {
    const proc = fakeProcess();
    const { log } = captureLog();
    const stopped: string[] = [];
    await runMain(
      () => {
        const lifecycle = createLifecycle({ log });
        lifecycle.register({ name: 'a', stop: () => void stopped.push('a') });
        lifecycle.register({
          name: 'b',
          start: () => {
            throw new Error('EADDRINUSE');
          },
        });
        return { lifecycle, log };
      },
      { process: proc },
    );
    expect(await proc.exitCode).toBe(1);
    expect(stopped).toEqual(['a']);
  });
});
