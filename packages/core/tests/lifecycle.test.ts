import { describe, expect, test } from 'vitest';
import { isBosunError } from '../src/errors/bosun-error.js';
import { type Component, createLifecycle } from '../src/lifecycle/create-lifecycle.js';
import { trackInFlight } from '../src/lifecycle/in-flight.js';
import { captureLog } from './support/capture-log.js';

function recorder() {
  const events: string[] = [];
  const component = (name: string, extra: Partial<Component> = {}): Component => ({
    name,
    start: () => {
      events.push(`start:${name}`);
    },
    drain: () => {
      events.push(`drain:${name}`);
    },
    stop: () => {
      events.push(`stop:${name}`);
    },
    ...extra,
  });
  return { events, component };
}

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
};

describe('createLifecycle', () => {
  test('START_ORDER / STOP_IN_REVERSE: starts in registration order, drains, then stops in reverse', async () => {
    const { events, component } = recorder();
    const lifecycle = createLifecycle({ log: captureLog().log });
    for (const name of ['health', 'database', 'http']) lifecycle.register(component(name));
    await lifecycle.start();
    expect(lifecycle.state).toBe('ready');
    const result = await lifecycle.stop();
    expect(result).toEqual({ ok: true, abandoned: [], errors: [] });
    expect(events.filter((e) => e.startsWith('start'))).toEqual([
      'start:health',
      'start:database',
      'start:http',
    ]);
    expect(events.filter((e) => e.startsWith('stop'))).toEqual(['stop:http', 'stop:database', 'stop:health']);
    expect(events.indexOf('drain:health')).toBeLessThan(events.indexOf('stop:http'));
    expect(lifecycle.state).toBe('stopped');
  });

  test('SINGLE_FLIGHT: concurrent and repeated start()/stop() share one run', async () => {
    const { events, component } = recorder();
    const lifecycle = createLifecycle({ log: captureLog().log });
    lifecycle.register(component('a'));
    const [s1, s2] = [lifecycle.start(), lifecycle.start()];
    expect(s1).toBe(s2);
    await Promise.all([s1, s2, lifecycle.start()]);
    const [t1, t2] = [lifecycle.stop(), lifecycle.stop()];
    expect(t1).toBe(t2);
    await Promise.all([t1, lifecycle.stop()]);
    expect(events).toEqual(['start:a', 'drain:a', 'stop:a']);
  });

  test('READY_GATES_INTAKE: isReady() is false synchronously when stop() is called', async () => {
    const gate = deferred();
    const lifecycle = createLifecycle({ log: captureLog().log });
    let readyDuringDrain: boolean | undefined;
    lifecycle.register({
      name: 'worker',
      drain: async () => {
        readyDuringDrain = lifecycle.isReady();
        await gate.promise;
      },
    });
    await lifecycle.start();
    expect(lifecycle.isReady()).toBe(true);
    const stopping = lifecycle.stop();
    expect(lifecycle.isReady()).toBe(false);
    expect(lifecycle.state).toBe('draining');
    gate.resolve();
    await stopping;
    expect(readyDuringDrain).toBe(false);
  });

  test('DRAIN_IS_BOUNDED: work still running at the deadline is abandoned, logged by name, and not ok', async () => {
    const { log, lines } = captureLog();
    const lifecycle = createLifecycle({ log, drainTimeoutMs: 50 });
    const inFlight = trackInFlight();
    lifecycle.register({
      name: 'http',
      drain: async (signal) => ((await inFlight.waitIdle(signal)) ? {} : { abandoned: inFlight.labels() }),
    });
    await lifecycle.start();
    inFlight.begin('GET /slow');
    const result = await lifecycle.stop();
    expect(result.ok).toBe(false);
    expect(result.abandoned).toEqual([{ component: 'http', work: ['GET /slow'] }]);
    expect(lines().some((l) => JSON.stringify(l.abandoned) === '["GET /slow"]')).toBe(true);
  });

  test('a component whose start fails: start rejects with BOSUN_LIFECYCLE_FAILED and only started ones stop', async () => {
    const { events, component } = recorder();
    const lifecycle = createLifecycle({ log: captureLog().log });
    lifecycle.register(component('a'));
    lifecycle.register(
      component('b', {
        start: () => {
          throw new Error('port in use');
        },
      }),
    );
    lifecycle.register(component('c'));
    const error = await lifecycle.start().catch((e: unknown) => e);
    expect(isBosunError(error, 'BOSUN_LIFECYCLE_FAILED')).toBe(true);
    expect((error as Error).message).toContain('"b" failed to start: port in use');
    await lifecycle.stop();
    expect(events).toEqual(['start:a', 'drain:a', 'stop:a']);
  });

  test('stop() during start aborts the start signal and stops what had started', async () => {
    const { events, component } = recorder();
    const lifecycle = createLifecycle({ log: captureLog().log });
    lifecycle.register(component('a'));
    lifecycle.register(
      component('slow', {
        start: (signal) =>
          new Promise<void>((_, reject) =>
            signal.addEventListener('abort', () => reject(new Error('aborted'))),
          ),
      }),
    );
    const starting = lifecycle.start().catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 10));
    const result = await lifecycle.stop();
    expect(isBosunError(await starting, 'BOSUN_LIFECYCLE_FAILED')).toBe(true);
    expect(result.ok).toBe(true);
    expect(events).toEqual(['start:a', 'drain:a', 'stop:a']);
  });

  test('start() after a stop() that came first is refused: a stopped lifecycle is not restarted', async () => {
    const lifecycle = createLifecycle({ log: captureLog().log });
    await lifecycle.stop();
    await expect(lifecycle.start()).rejects.toThrow(/after stop/);
  });

  test('a stop() that throws or hangs is reported, and the others still stop', async () => {
    const { events, component } = recorder();
    const lifecycle = createLifecycle({ log: captureLog().log, stopTimeoutMs: 30 });
    lifecycle.register(component('a'));
    lifecycle.register(component('hangs', { stop: () => new Promise(() => {}) }));
    lifecycle.register(
      component('throws', {
        stop: () => {
          throw new Error('boom');
        },
      }),
    );
    await lifecycle.start();
    const result = await lifecycle.stop();
    expect(result.ok).toBe(false);
    expect(result.errors.map((e) => [e.component, e.phase])).toEqual([
      ['throws', 'stop'],
      ['hangs', 'stop'],
    ]);
    expect(events).toContain('stop:a');
  });

  test('registering after start or a duplicate name is refused', async () => {
    const lifecycle = createLifecycle({ log: captureLog().log });
    lifecycle.register({ name: 'a' });
    expect(() => lifecycle.register({ name: 'a' })).toThrow(/already registered/);
    await lifecycle.start();
    expect(() => lifecycle.register({ name: 'b' })).toThrow(/after start/);
    await lifecycle.stop();
  });
});

describe('trackInFlight', () => {
  test('waitIdle resolves when the last unit ends, and end is idempotent', async () => {
    const inFlight = trackInFlight();
    const endA = inFlight.begin('a');
    const endB = inFlight.begin('b');
    expect(inFlight.labels()).toEqual(['a', 'b']);
    const idle = inFlight.waitIdle();
    endA();
    endA();
    expect(inFlight.size).toBe(1);
    endB();
    expect(await idle).toBe(true);
    expect(inFlight.size).toBe(0);
  });

  test('waitIdle resolves false when the signal aborts first', async () => {
    const inFlight = trackInFlight();
    inFlight.begin('stuck');
    expect(await inFlight.waitIdle(AbortSignal.timeout(10))).toBe(false);
    expect(inFlight.labels()).toEqual(['stuck']);
  });
});
