/**
 * The one-process platform as `npm start -w apps/platform` runs it: bundled, then
 * `node dist/main.js` — every service in one process, one health server, the in-process
 * bus. Here on a test database; with DATABASE_URL unset it starts the embedded one.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { spawnService, useTestDatabase } from '@bosun/testing';
import { beforeAll, expect, test } from 'vitest';

const dir = fileURLToPath(new URL('..', import.meta.url));
const repo = fileURLToPath(new URL('../../..', import.meta.url));

/** Every platform service on disk (a services/* directory with a src/main.ts). */
const platformServices = readdirSync(`${repo}services`)
  .filter((name) => existsSync(`${repo}services/${name}/src/main.ts`))
  .sort();

const db = useTestDatabase({ label: 'platform' });

beforeAll(() => {
  execFileSync(process.execPath, [`${repo}tools/bundle.mjs`, dir], { stdio: 'ignore' });
}, 60_000);

test('serves every platform service from one process (EVERY_SERVICE_IN_THE_PLATFORM), prints their URLs, and drains on SIGTERM', async () => {
  const proc = spawnService({
    entry: 'dist/main.js',
    cwd: dir,
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: db.url,
      PORT: '0',
      HEALTH_PORT: '0',
      USERS_SCRYPT_LOG_N: '15',
    },
  });
  const serving = JSON.parse(await proc.waitForLine(/"msg":"serving"/, 60_000)) as {
    http: string[];
    health: string;
  };
  expect((await fetch(`${serving.health}/readyz`)).status).toBe(200);
  await proc.waitForLine(/bosun platform is serving/);
  await proc.waitForLine(/bus {8}in-process/);

  // One HTTP surface per service (the gateway's is its process component on PORT), each named
  // in the banner with its docs, OpenAPI and MCP URLs.
  expect(serving.http).toHaveLength(platformServices.length);
  for (const name of platformServices)
    expect(proc.stderr, `add ${name} to apps/platform/src/main.ts`).toMatch(
      new RegExp(`^  ${name}( \\(the public edge\\))?$`, 'm'),
    );
  const gateway = /REST {7}(http:\/\/\S+)\/api$/m.exec(proc.stderr)?.[1];
  expect(gateway, 'the banner names the gateway').toBeDefined();
  const merged = (await (await fetch(`${gateway}/openapi.json`)).json()) as {
    paths: Record<string, unknown>;
  };
  expect(Object.keys(merged.paths)).toContain('/api/users/users');
  for (const base of serving.http) {
    expect(proc.stderr).toContain(`REST docs  ${base}/docs`);
    expect(proc.stderr).toContain(`MCP        ${base}/mcp`);
    expect((await fetch(`${base}/openapi.json`)).status).toBe(200);
  }
  expect(proc.stderr).toContain(`readyz     ${serving.health}/readyz`);

  proc.kill('SIGTERM');
  expect(await proc.exited).toEqual({ code: 0, signal: null });
});
