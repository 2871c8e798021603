/** The `bosun` command, run as a user runs it: a child process of bin/bosun.mjs. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const bin = join(root, 'apps/cli/bin/bosun.mjs');

function bosun(args: string[], env: Record<string, string | undefined> = {}) {
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: undefined, NATS_URL: undefined, ...env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('bosun CLI', () => {
  // Inside the repository, so a scaffolded service resolves the workspace packages.
  const scratch = mkdtempSync(join(root, 'apps/cli/tests/.scratch-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  test('openapi prints exactly the committed document of the hello example', () => {
    const out = bosun(['openapi', 'examples/hello/src/service.ts']);
    expect(out.code).toBe(0);
    expect(out.stdout).toBe(readFileSync(join(root, 'examples/hello/openapi.json'), 'utf8'));
  });

  test('new scaffolds a service whose definition is valid and routes POST /echo; it never overwrites', () => {
    const created = bosun(['new', 'billing-demo', '--dir', scratch]);
    expect(created.code).toBe(0);
    for (const file of [
      'src/service.ts',
      'src/config.ts',
      'src/main.ts',
      'tests/service.process.test.ts',
      'AGENTS.md',
      'Dockerfile',
    ]) {
      expect(existsSync(join(scratch, 'billing-demo', file)), file).toBe(true);
    }
    const doc = bosun(['openapi', join(scratch, 'billing-demo/src/service.ts')]);
    expect(doc.code).toBe(0);
    expect(JSON.parse(doc.stdout).paths['/echo'].post.operationId).toBe('echo');
    const again = bosun(['new', 'billing-demo', '--dir', scratch]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already exists');
  });

  test('doctor fails, naming the fix, when a configured NATS does not answer', () => {
    const out = bosun(['doctor'], { NATS_URL: 'nats://127.0.0.1:1' });
    expect(out.code).toBe(1);
    expect(out.stdout).toMatch(/FAIL\s+NATS\s+nothing answers at 127\.0\.0\.1:1/);
    expect(out.stdout).toMatch(/ok\s+Node\.js/);
  });

  test('bad usage exits 2 with the usage text', () => {
    expect(bosun(['new', 'Bad_Name']).code).toBe(2);
    const unknown = bosun(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('usage: bosun');
  });
});
