/**
 * docs/services/registry.md lists every code of the registry error registry with its status,
 * and no code the registry does not have (CODES_ARE_STABLE: the doc cannot drift).
 */
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { registryErrors } from '../src/registry.errors.js';

test('the error table in docs/services/registry.md matches the registryErrors registry', () => {
  const doc = readFileSync(new URL('../../../docs/services/registry.md', import.meta.url), 'utf8');
  const documented = [...doc.matchAll(/^\| `(REGISTRY_[A-Z_]+)` \| (\d{3}) \|/gm)].map((m) => [
    m[1],
    Number(m[2]),
  ]);
  const registry = Object.entries(registryErrors.specs).map(([code, spec]) => [code, spec.status]);
  expect(documented.sort()).toEqual(registry.sort());
  for (const code of Object.keys(registryErrors.specs)) expect(code.startsWith('BOSUN_')).toBe(false);
});
