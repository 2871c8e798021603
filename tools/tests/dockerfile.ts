/**
 * Test helpers for the production artefacts: which directories are deployable (a
 * `src/main.ts` under services/ or examples/), and a small Dockerfile reader (stages and
 * instructions, continuation lines joined, comments dropped). Enough for the static rules
 * in dockerfiles.test.ts and for the bundle test to start a bundle with the env its image
 * sets; not a full Dockerfile parser (no heredocs, no parser directives beyond comments).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export interface Deployable {
  /** Directory relative to the repo root, e.g. `services/users`. */
  dir: string;
  /** The workspace's package name, e.g. `@bosun/service-users`. */
  packageName: string;
}

/** Every `services/*` and `examples/*` with a `src/main.ts`, found on disk (services added later included). */
export function deployables(): Deployable[] {
  const found: Deployable[] = [];
  for (const base of ['services', 'examples']) {
    const parent = join(repoRoot, base);
    if (!existsSync(parent)) continue;
    for (const name of readdirSync(parent).sort()) {
      const dir = `${base}/${name}`;
      if (!existsSync(join(repoRoot, dir, 'src/main.ts'))) continue;
      const pkg = JSON.parse(readFileSync(join(repoRoot, dir, 'package.json'), 'utf8')) as { name: string };
      found.push({ dir, packageName: pkg.name });
    }
  }
  return found;
}

export interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

export interface Stage {
  from: string;
  name: string | undefined;
  instructions: Instruction[];
}

/** Splits a Dockerfile into stages (one per FROM); instructions before the first FROM (ARG) are dropped. */
export function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let logical = lines[i]!;
    if (/^\s*#/.test(logical) || logical.trim() === '') continue;
    while (logical.endsWith('\\') && i + 1 < lines.length) {
      i++;
      const next = lines[i]!;
      if (/^\s*#/.test(next)) continue;
      logical = `${logical.slice(0, -1)} ${next.trim()}`;
    }
    const match = /^\s*([A-Za-z]+)\s+(.*)$/.exec(logical);
    if (!match) continue;
    const keyword = match[1]!.toUpperCase();
    const args = match[2]!.trim();
    if (keyword === 'FROM') {
      const from = /^(\S+)(?:\s+AS\s+(\S+))?/i.exec(args)!;
      stages.push({ from: from[1]!, name: from[2], instructions: [] });
    } else {
      stages.at(-1)?.instructions.push({ keyword, args, line: start + 1 });
    }
  }
  return stages;
}

/** `ENV` pairs of a stage (`KEY=value` form, optionally quoted), in order. */
export function envOf(stage: Stage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const ins of stage.instructions.filter((i) => i.keyword === 'ENV')) {
    for (const m of ins.args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("([^"]*)"|\S*)/g)) {
      env[m[1]!] = m[3] ?? m[2]!;
    }
  }
  return env;
}

/** `LABEL` keys of a stage. */
export function labelsOf(stage: Stage): string[] {
  return stage.instructions
    .filter((i) => i.keyword === 'LABEL')
    .flatMap((i) => [...i.args.matchAll(/([A-Za-z0-9_.-]+)=/g)].map((m) => m[1]!));
}

export function readDockerfile(dir: string): Stage[] | undefined {
  const path = join(repoRoot, dir, 'Dockerfile');
  return existsSync(path) ? parseDockerfile(readFileSync(path, 'utf8')) : undefined;
}
