#!/usr/bin/env node
/**
 * Bundles a service entry to dist/ with esbuild: `node tools/bundle.mjs <service dir>`
 * (entry `src/main.ts`, output `dist/main.js` plus chunks and source maps). Every
 * service's and example's `npm run build` runs it, and so does each Dockerfile's build stage.
 *
 * What it does not do: install anything, or bundle third-party code. bosun's own
 * packages ship as TypeScript and are bundled; every other bare import stays external and
 * loads from node_modules, so the image needs only production dependencies
 * (`npm ci --omit=dev --workspace <service>`).
 *
 * Invariants:
 * - OWN_CODE_BUNDLED_THIRD_PARTY_EXTERNAL: `@bosun/*` and relative imports are bundled;
 *   any other bare specifier is external (tools/tests/service-bundles.process.test.ts
 *   checks each external is a production dependency of the service or of a bosun package it uses).
 * - LIVEZ_BEFORE_TRANSPORTS: code splitting keeps `import()`ed modules (the runtime's
 *   compose-app with Fastify, the MCP SDK and NATS) in chunks that load after the health
 *   server listens; the entry's static imports never reach them.
 * - ASSETS_BESIDE_THE_CODE: a folder named `assets` beside a bundled module (read by it as
 *   `new URL('./assets/x', import.meta.url)`) is copied to `dist/assets`, where that same
 *   expression points once the module is a chunk in dist/. Two such folders in one bundle are refused.
 * - Source maps sit next to each chunk (`*.js.map`, sources relative to dist/); run with
 *   `--enable-source-maps` (the Dockerfiles set NODE_OPTIONS) for TypeScript stack traces.
 *
 * esbuild, not tsup: tsup depends on rollup, whose per-platform binaries the registry
 * here does not all serve, and then `npm ci` on a fresh clone refuses the lock file.
 */
import { cpSync, existsSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

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

/**
 * Bundles `<dir>/src/main.ts` to `<dir>/dist/` (emptied first).
 * @param {string} dir the service's directory
 * @param {{ quiet?: boolean, outdir?: string }} [options] `outdir` (default `<dir>/dist`) lets a
 *   test bundle to a directory of its own, so bundling the same service elsewhere at once
 *   cannot empty it under a running process.
 * @returns {Promise<{ outdir: string, metafile: import('esbuild').Metafile }>}
 */
export async function bundleService(dir, options = {}) {
  const root = resolve(dir);
  const outdir = options.outdir ? resolve(options.outdir) : join(root, 'dist');
  rmSync(outdir, { recursive: true, force: true });
  const result = await build({
    entryPoints: { main: join(root, 'src/main.ts') },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    metafile: true,
    // The working directory decides how metafile paths are written; fix it to the repo root.
    absWorkingDir: fileURLToPath(new URL('..', import.meta.url)),
    logLevel: options.quiet ? 'error' : 'warning',
    plugins: [externalThirdParty],
  });
  // Assets of every bundled module, wherever its package lives (apps/platform bundles the registry).
  const repo = fileURLToPath(new URL('..', import.meta.url));
  const assets = [
    ...new Set(Object.keys(result.metafile.inputs).map((input) => join(repo, dirname(input), 'assets'))),
  ].filter((dir) => existsSync(dir));
  if (assets.length > 1) {
    throw new Error(
      `${relative(repo, assets[1])} and ${relative(repo, assets[0])}: a bundle has one dist/assets; keep one assets folder per bundle.`,
    );
  }
  if (assets[0]) cpSync(assets[0], join(outdir, 'assets'), { recursive: true });
  if (!options.quiet) {
    const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
    console.log(`bundled ${root} -> dist/ (${(bytes / 1024).toFixed(0)} KiB)`);
  }
  return { outdir, metafile: result.metafile };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await bundleService(process.argv[2] ?? '.');
}
