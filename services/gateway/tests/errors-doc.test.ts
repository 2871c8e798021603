/**
 * docs/services/gateway.md lists every code of the gateway's error registry with its status,
 * and no code the registry does not have (CODES_ARE_STABLE: the doc cannot drift).
 */
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { gatewayErrors } from '../src/gateway.errors.js';

test('the error table in docs/services/gateway.md matches the gatewayErrors registry', () => {
  const doc = readFileSync(new URL('../../../docs/services/gateway.md', import.meta.url), 'utf8');
  const documented = [...doc.matchAll(/^\| `(GATEWAY_[A-Z_]+)` \| (\d{3}) \|/gm)].map((m) => [
    m[1],
    Number(m[2]),
  ]);
  const registry = Object.entries(gatewayErrors.specs).map(([code, spec]) => [code, spec.status]);
  expect(documented.sort()).toEqual(registry.sort());
  for (const code of Object.keys(gatewayErrors.specs)) expect(code.startsWith('BOSUN_')).toBe(false);
});
