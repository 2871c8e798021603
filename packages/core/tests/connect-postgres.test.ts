import { serverUrl, useLeakCheck } from '@bosun/testing';
import { describe, expect, test } from 'vitest';
import { isBosunError } from '../src/errors/bosun-error.js';
import { connectPostgres, describeUrl } from '../src/postgres/connect-postgres.js';
import { freePort } from '../src/postgres/free-port.js';
import { captureLog } from './support/capture-log.js';

describe('connectPostgres with a URL', () => {
  useLeakCheck();

  test('check() passes against a reachable server; close() ends the pool', async () => {
    const db = await connectPostgres({ url: serverUrl(), log: captureLog().log });
    expect(db.embedded).toBe(false);
    await db.check();
    await db.close();
  });

  test('UNREACHABLE_IS_NOT_FATAL: connecting succeeds; check() throws BOSUN_DATABASE_UNAVAILABLE naming host and port, not the password', async () => {
    const port = await freePort();
    const db = await connectPostgres({
      url: `postgres://app:pw-secret@127.0.0.1:${port}/app`,
      log: captureLog().log,
    });
    const error = await db.check().catch((e: unknown) => e);
    expect(isBosunError(error, 'BOSUN_DATABASE_UNAVAILABLE')).toBe(true);
    expect((error as Error).message).toContain(`PostgreSQL at 127.0.0.1:${port}/app is unavailable`);
    expect(JSON.stringify((error as { toJSON(): unknown }).toJSON())).not.toContain('pw-secret');
    await db.close();
  });

  test('describeUrl never includes credentials', () => {
    expect(describeUrl('postgres://u:p@db.internal:6543/orders')).toBe('db.internal:6543/orders');
    expect(describeUrl('postgres://db/x')).toBe('db:5432/x');
  });
});
