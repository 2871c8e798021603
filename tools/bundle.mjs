#!/usr/bin/env node
/**
 * Bundles a service entry to dist/ with esbuild: `node tools/bundle.mjs <service dir>`
 * (entry `src/main.ts`, output `dist/main.js`). bosun's own packages ship as TypeScript
 * and are bundled; every third-party package stays external and loads from node_modules,
 * so the image needs only production dependencies. Code splitting keeps the transports
 * in a chunk loaded after the health server listens (LIVEZ_BEFORE_TRANSPORTS).
 *
 * esbuild, not tsup: tsup depends on rollup, whose per-platform binaries the registry
 * here does not all serve, and then `npm ci` on a fresh clone refuses the lock file.
 */
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

const dir = resolve(process.argv[2] ?? '.');
const outdir = join(dir, 'dist');
rmSync(outdir, { recursive: true, force: true });

/** Bare imports are external unless they are bosun's own (`@bosun/...`). */
const externalThirdParty = {
  name: 'external-third-party',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('@bosun/') || args.path.startsWith('node:')) return undefined;
      return { path: args.path, external: true };
    });
  },
};

const result = await build({
  entryPoints: { main: join(dir, 'src/main.ts') },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  metafile: true,
  logLevel: 'warning',
  plugins: [externalThirdParty],
});
const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
console.log(`bundled ${dir} -> dist/ (${(bytes / 1024).toFixed(0)} KiB)`);
