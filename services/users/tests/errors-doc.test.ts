/**
 * docs/services/users.md lists every code of the users error registry with its status,
 * and no code the registry does not have (CODES_ARE_STABLE: the doc cannot drift).
 */
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { usersErrors } from '../src/users.errors.js';

test('the error table in docs/services/users.md matches the usersErrors registry', () => {
  const doc = readFileSync(new URL('../../../docs/services/users.md', import.meta.url), 'utf8');
  const documented = [...doc.matchAll(/^\| `(USERS_[A-Z_]+)` \| (\d{3}) \|/gm)].map((m) => [
    m[1],
    Number(m[2]),
  ]);
  const registry = Object.entries(usersErrors.specs).map(([code, spec]) => [code, spec.status]);
  expect(documented.sort()).toEqual(registry.sort());
  for (const code of Object.keys(usersErrors.specs)) expect(code.startsWith('BOSUN_')).toBe(false);
});
