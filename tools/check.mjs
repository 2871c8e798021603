#!/usr/bin/env node
/**
 * `npm run check`: every gate — build+typecheck, lint, boundaries, tests — run to
 * completion (a failing gate does not hide the others), then one summary.
 * Exit 1 when any gate failed.
 */
import { spawnSync } from 'node:child_process';

const gates = [
  ['typecheck', 'npx', ['tsc', '-b']],
  ['lint', 'npx', ['biome', 'check', '.']],
  ['boundaries', 'node', ['tools/boundaries.mjs']],
  ['tests', 'npx', ['vitest', 'run']],
];

const results = [];
for (const [name, cmd, args] of gates) {
  const started = Date.now();
  console.log(`\n── ${name}: ${cmd} ${args.join(' ')}`);
  const { status } = spawnSync(cmd, args, { stdio: 'inherit' });
  results.push({ name, ok: status === 0, seconds: ((Date.now() - started) / 1000).toFixed(1) });
}

console.log('\n── summary');
for (const r of results) console.log(`  ${r.ok ? 'ok  ' : 'FAIL'}  ${r.name.padEnd(11)} ${r.seconds}s`);
const failed = results.filter((r) => !r.ok).length;
console.log(failed === 0 ? 'check: all gates passed' : `check: ${failed} gate(s) failed`);
process.exit(failed === 0 ? 0 : 1);
