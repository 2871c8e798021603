/**
 * docs/services/notifications.md lists every code of the notifications error registry with
 * its status, and no code the registry does not have (CODES_ARE_STABLE: the doc cannot drift).
 */
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { notificationsErrors } from '../src/notifications.errors.js';

test('the error table in docs/services/notifications.md matches the notificationsErrors registry', () => {
  const doc = readFileSync(new URL('../../../docs/services/notifications.md', import.meta.url), 'utf8');
  const documented = [...doc.matchAll(/^\| `(NOTIFICATIONS_[A-Z_]+)` \| (\d{3}) \|/gm)].map((m) => [
    m[1],
    Number(m[2]),
  ]);
  const registry = Object.entries(notificationsErrors.specs).map(([code, spec]) => [code, spec.status]);
  expect(documented.sort()).toEqual(registry.sort());
  for (const code of Object.keys(notificationsErrors.specs)) expect(code.startsWith('BOSUN_')).toBe(false);
});
