/**
 * The production bundle: `node dist/main.js`. bosun's own packages (TypeScript source)
 * are bundled; third-party dependencies stay external and load from node_modules.
 * Code splitting keeps the transports in a chunk of their own, loaded after the health
 * server listens (LIVEZ_BEFORE_TRANSPORTS), so /livez answers about 0.2 s after start.
 */
import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { main: 'src/main.ts' },
  format: 'esm',
  platform: 'node',
  target: 'node20',
  splitting: true,
  clean: true,
  outDir: 'dist',
  // Every bare import is external except bosun's own packages, which ship as TypeScript.
  skipNodeModulesBundle: true,
  noExternal: [/^@bosun\//],
  sourcemap: true,
});
