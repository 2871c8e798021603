/**
 * Writes deploy/compose.yaml and deploy/k8s/*.yaml from tools/deploy/platform.ts:
 *   npm run deploy:manifests
 * tools/tests/deploy-manifests.test.ts fails when the committed files differ from a fresh render.
 */
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderManifests } from './deploy/manifests.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const files = renderManifests();
// A service removed from the model takes its manifests with it.
for (const name of readdirSync(join(root, 'deploy/k8s'), { withFileTypes: true })) {
  const path = `deploy/k8s/${name.name}`;
  if (name.isFile() && name.name.endsWith('.yaml') && !files.has(path)) rmSync(join(root, path));
}
for (const [path, text] of files) {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}
console.log(`wrote ${[...files.keys()].join(', ')}`);
