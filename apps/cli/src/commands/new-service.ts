/**
 * `bosun new <name>`: scaffolds a service the way the reference services are laid out —
 * src/service.ts (the definition), src/config.ts (the only env reader), src/main.ts
 * (wiring only), a process test, AGENTS.md and a Dockerfile. Refuses to overwrite.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { Args } from '../parse-args.js';
import { UsageError } from '../parse-args.js';
import { serviceFiles } from './service-template.js';

const NAME = /^[a-z][a-z0-9-]{0,62}$/;

export async function newService(args: Args): Promise<number> {
  const name = args.positionals[0];
  if (!name || !NAME.test(name)) {
    throw new UsageError('name the service in kebab-case (a-z, 0-9, -), e.g. bosun new billing');
  }
  const dir = resolve(args.flags.dir ?? 'services', name);
  if (existsSync(dir))
    throw new Error(`${relative(process.cwd(), dir)} already exists; choose another name or remove it`);
  for (const [path, text] of Object.entries(serviceFiles(name))) {
    const file = join(dir, path);
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, text);
  }
  const shown = relative(process.cwd(), dir) || '.';
  process.stdout.write(
    `created ${shown}\nnext:\n  npm install\n  npm start -w ${shown}\n  npx vitest run ${shown}\n`,
  );
  return 0;
}
