import { fileURLToPath } from 'node:url';
import { spawnService } from '@bosun/testing';
import { describe, expect, test } from 'vitest';
import { captureLog } from './support/capture-log.js';

const logTo = fileURLToPath(new URL('./fixtures/log-to.ts', import.meta.url));

describe('createLogger', () => {
  test('writes JSON bound to service, version and instance, with a string level', () => {
    const { log, lines } = captureLog();
    log.child({ requestId: 'r-1' }).info({ op: 'ping' }, 'handled');
    expect(lines()[0]).toMatchObject({
      level: 'info',
      service: 'test',
      version: '0.0.0',
      instance: 'test-1',
      requestId: 'r-1',
      op: 'ping',
      msg: 'handled',
    });
  });

  test('SECRETS_NEVER_PRINTED: default secret paths are redacted', () => {
    const { log, lines } = captureLog();
    log.info(
      {
        password: 'p1',
        user: { password: 'p2', token: 't1', name: 'ann' },
        req: { headers: { authorization: 'Bearer abc', cookie: 'sid=1', accept: 'json' } },
        vault: { secret: 's1' },
      },
      'with secrets',
    );
    const text = JSON.stringify(lines()[0]);
    for (const secret of ['p1', 'p2', 't1', 'Bearer abc', 'sid=1', 's1'])
      expect(text).not.toContain(`"${secret}"`);
    expect(lines()[0]).toMatchObject({ user: { name: 'ann' }, req: { headers: { accept: 'json' } } });
  });

  test.each(['stdout', 'stderr'] as const)(
    "destination '%s' writes there and nothing to the other stream (stderr keeps MCP stdio clean)",
    async (destination) => {
      const proc = spawnService({ entry: logTo, args: [destination] });
      expect((await proc.exited).code).toBe(0);
      const other = destination === 'stdout' ? proc.stderr : proc.stdout;
      const written = destination === 'stdout' ? proc.stdout : proc.stderr;
      expect(other).toBe('');
      expect(JSON.parse(written)).toMatchObject({ msg: 'hello', service: 'mcp-stdio', token: '[redacted]' });
    },
  );
});
