/**
 * Generates docs/errors.md from every package's error registry, so the reference can
 * never drift from the code. `npm run docs:errors` writes it; tools/tests/errors-doc.test.ts
 * fails when the committed file differs from what this generates.
 */
import { writeFileSync } from 'node:fs';
import { listErrorRegistries } from '@bosun/core';

/** Every package with an error registry; importing it registers its codes. */
export const PACKAGES = [
  '@bosun/core',
  '@bosun/queue',
  '@bosun/http',
  '@bosun/mcp',
  '@bosun/bus',
  '@bosun/auth',
  '@bosun/runtime',
] as const;

export async function renderErrorsDoc(): Promise<string> {
  for (const name of PACKAGES) await import(name);
  const lines = [
    '# Error codes',
    '',
    'Every error bosun returns carries a stable `code`. Match on the code (`isBosunError(e, code)`),',
    'never on the message. HTTP answers RFC 9457 problem+json with the code; MCP tool results carry',
    'it with `isError: true`; RPC error envelopes carry it and the caller rebuilds the same `BosunError`.',
    'A code is never reused for another meaning. `retryable` says whether the same call may succeed later.',
    '',
    '_Generated from the error registries by `npm run docs:errors`; a test fails when this file is stale._',
    '',
  ];
  const registries = [...listErrorRegistries()].sort((a, b) => a.owner.localeCompare(b.owner));
  for (const registry of registries) {
    lines.push(
      `## ${registry.owner}`,
      '',
      '| code | HTTP status | retryable | meaning |',
      '| --- | --- | --- | --- |',
    );
    for (const [code, spec] of Object.entries(registry.specs).sort(([a], [b]) => a.localeCompare(b))) {
      lines.push(`| \`${code}\` | ${spec.status} | ${spec.retryable ? 'yes' : 'no'} | ${spec.title} |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

if (process.argv[1]?.endsWith('errors-doc.ts')) {
  writeFileSync(new URL('../docs/errors.md', import.meta.url), await renderErrorsDoc());
  console.log('wrote docs/errors.md');
}
