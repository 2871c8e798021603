/**
 * The architecture checkers must catch what they exist to catch: each rule flags its
 * probe under tools/boundary-probes, and the real tree is clean. A checker that cruises
 * nothing, or a rule whose pattern no longer matches, fails here.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';

interface Result {
  modules: number;
  violations: Array<{ rule: string; from: string; to: string }>;
}

function run(...args: string[]): Result {
  const out = execFileSync(process.execPath, ['tools/boundaries.mjs', '--json', ...args], {
    encoding: 'utf8',
  });
  return JSON.parse(out) as Result;
}

describe('architecture boundaries', () => {
  const probes = run('--probes');

  test.each([
    ['services-not-to-other-services', 'services/alpha/src/reach-into-beta.ts'],
    ['packages-not-to-services-or-apps', 'packages/lib/src/reach-into-service.ts'],
    ['no-circular', 'packages/lib/src/cycle-'],
    ['no-own-index', 'packages/lib/src/uses-own-index.ts'],
    ['only-config-reads-env', 'packages/lib/src/reads-env.ts'],
  ])('rule %s flags its probe', (rule, probe) => {
    const hits = probes.violations.filter((v) => v.rule === rule && v.from.includes(probe));
    expect(
      hits.length,
      `rule ${rule} did not flag ${probe}: ${JSON.stringify(probes.violations)}`,
    ).toBeGreaterThan(0);
  });

  test('the probes raise nothing beyond their own rules', () => {
    expect(probes.violations.every((v) => v.from.startsWith('tools/boundary-probes/'))).toBe(true);
  });

  test('the real tree is cruised and has no violations', () => {
    const real = run();
    expect(real.modules).toBeGreaterThan(20);
    expect(real.violations).toEqual([]);
  });
}, 60_000);
