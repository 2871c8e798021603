/**
 * The production artefact: `npm run build` bundles hello to dist/main.js, and the bundle
 * runs with plain `node` (as `npm start` and a Dockerfile CMD run it), with only
 * third-party packages loaded from node_modules.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { spawnService, useTestDatabase } from '@bosun/testing';
import { beforeAll, describe, expect, test } from 'vitest';

const dir = fileURLToPath(new URL('..', import.meta.url));

describe('the hello bundle', () => {
  const db = useTestDatabase({ label: 'hello_bundle' });

  beforeAll(() => {
    execFileSync(
      process.execPath,
      [fileURLToPath(new URL('../../../tools/bundle.mjs', import.meta.url)), dir],
      {
        stdio: 'inherit',
      },
    );
  }, 120_000);

  test('node dist/main.js serves, answers /livez before it is ready, and drains on SIGTERM', async () => {
    const proc = spawnService({
      entry: `${dir}dist/main.js`,
      env: { DATABASE_URL: db.url, PORT: '0', HEALTH_PORT: '0' },
    });
    const listening = JSON.parse(await proc.waitForLine(/"msg":"health server listening"/, 30_000)) as {
      port: number;
    };
    const serving = JSON.parse(await proc.waitForLine(/"msg":"serving"/, 30_000)) as { http: string[] };
    expect((await fetch(`http://127.0.0.1:${listening.port}/livez`)).status).toBe(200);
    const res = await fetch(`${serving.http[0]}/greetings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Bundle' }),
    });
    expect(res.status).toBe(200);
    // The health server came up before the transports' code was loaded (LIVEZ_BEFORE_TRANSPORTS).
    const order = proc.logs().map((l) => l.msg);
    expect(order.indexOf('health server listening')).toBeLessThan(order.indexOf('PostgreSQL pool created'));
    proc.kill('SIGTERM');
    expect((await proc.exited).code).toBe(0);
  });
});
