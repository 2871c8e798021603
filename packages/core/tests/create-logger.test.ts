import { describe, expect, test } from 'vitest';
import { captureLog } from './support/capture-log.js';

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
});
