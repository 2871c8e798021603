#!/usr/bin/env node
/**
 * Architecture gate: dependency-cruiser's rules (.dependency-cruiser.cjs) plus the
 * only-config-reads-env rule, which is about code, not imports, so it is a scan here.
 *
 *   node tools/boundaries.mjs            # the real tree
 *   node tools/boundaries.mjs --probes   # the probe tree: every rule must fire
 *   node tools/boundaries.mjs --json     # machine-readable result (used by the probe test)
 *
 * A checker that silently checks nothing is the failure this guards against, so the
 * run fails when dependency-cruiser cruised fewer modules than expected.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(fileURLToPath(import.meta.url), '..', '..');
const probes = process.argv.includes('--probes');
const asJson = process.argv.includes('--json');
const roots = probes
  ? ['tools/boundary-probes']
  : ['packages', 'services', 'apps', 'examples'].filter((d) => exists(join(root, d)));
const minModules = probes ? 5 : 20;

function exists(path) {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

function cruise() {
  let out;
  try {
    out = execFileSync(
      process.execPath,
      [
        join(root, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs'),
        ...roots,
        '--config',
        '.dependency-cruiser.cjs',
        '--output-type',
        'json',
      ],
      { cwd: root, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] },
    );
  } catch (error) {
    // Exit code 1 with JSON on stdout means "violations found".
    out = error.stdout;
    if (!out) throw error;
  }
  const result = JSON.parse(out);
  const violations = result.summary.violations.map((v) => ({
    rule: v.rule.name,
    from: v.from,
    to: v.cycle ? v.cycle.map((c) => c.name ?? c).join(' -> ') : v.to,
  }));
  return { modules: result.summary.totalCruised, violations };
}

/** Files (not in tests/ or tools/) that read process.env outside a config.ts. */
function scanEnv() {
  const found = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      if (name === 'node_modules' || name === 'dist' || name === 'tests' || name.startsWith('.')) continue;
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(ts|mts|js|mjs)$/.test(name) && basename(name, '.ts') !== 'config') {
        // Comments may mention process.env (JSDoc examples of what config.ts does); code may not.
        const text = readFileSync(path, 'utf8')
          .replace(/\/\*[\s\S]*?\*\//g, '')
          .replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
        if (
          /process\s*\.\s*env\b|process\s*\[\s*['"]env['"]\s*\]|from\s+['"](node:)?process['"]/.test(text)
        ) {
          found.push({ rule: 'only-config-reads-env', from: relative(root, path), to: 'process.env' });
        }
      }
    }
  };
  for (const r of roots) walk(join(root, r));
  // The test global setup is where test infrastructure is chosen from the environment.
  return found.filter((v) => v.from !== 'packages/testing/src/global-setup.ts');
}

const { modules, violations } = cruise();
const all = [...violations, ...scanEnv()];
const tooFew = modules < minModules;

if (asJson) {
  process.stdout.write(`${JSON.stringify({ modules, violations: all })}\n`);
} else {
  for (const v of all) console.log(`  ${v.rule}: ${v.from} -> ${v.to}`);
  console.log(`boundaries: ${modules} modules cruised, ${all.length} violation(s)`);
  if (tooFew)
    console.log(`boundaries: expected at least ${minModules} modules; the checker is not seeing the code`);
}
// With --json the caller judges the result (the probe test shows which rule fired or failed).
process.exit(probes || asJson ? 0 : all.length > 0 || tooFew ? 1 : 0);
