import { readFileSync } from 'node:fs';
import { listErrorRegistries } from '@bosun/core';
import { expect, test } from 'vitest';
import { PACKAGES, renderErrorsDoc } from '../errors-doc.js';

test('docs/errors.md lists exactly the codes in the error registries (regenerate: npm run docs:errors)', async () => {
  const expected = await renderErrorsDoc();
  const committed = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
  expect(committed).toBe(expected);
});

test('every package that throws coded errors has a registry, and bosun codes start with BOSUN_', async () => {
  for (const name of PACKAGES) await import(name);
  const owners = listErrorRegistries().map((r) => r.owner);
  expect(owners).toContain('@bosun/core');
  for (const registry of listErrorRegistries()) {
    for (const code of Object.keys(registry.specs)) expect(code).toMatch(/^BOSUN_[A-Z0-9_]+$/);
  }
});
