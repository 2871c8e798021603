/**
 * The production artefact of every deployable (each `services/*` and `examples/*` with a
 * `src/main.ts`, found on disk, so services added later are covered): `tools/bundle.mjs`
 * bundles it to dist/main.js, and `node dist/main.js` runs it as its Dockerfile's CMD
 * would — from the service directory, with the ENV of the Dockerfile's runtime stage
 * (NODE_ENV=production, NODE_OPTIONS=--enable-source-maps) plus what production needs
 * (DATABASE_URL, NATS_URL, service keys generated here) — on a real PostgreSQL and NATS.
 * It runs from a directory laid out as the image is (`/app/<dir>/dist`, `/app/<dir>/package.json`,
 * `/app/node_modules`), so a bundle that reads files from src/ at run time fails here too.
 *
 * A service whose production start needs more variables adds them to `serviceEnv` below.
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { natsUrl, spawnService, useTestDatabase } from '@bosun/testing';
import type { Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bundleService } from '../bundle.mjs';
import { deployables, envOf, readDockerfile, repoRoot } from './dockerfile.js';

interface Keys {
  /** Ed25519 private key as JWK JSON (what the compose file and k8s Secret carry). */
  privateJwk(): string;
}

/** Variables a service needs in production beyond bosun's (its config refuses to start, or fails at first use, without them). */
const serviceEnv: Record<string, (keys: Keys) => Record<string, string>> = {
  'services/users': (keys) => ({ USERS_JWT_PRIVATE_KEY: keys.privateJwk(), USERS_SCRYPT_LOG_N: '15' }),
  'services/notifications': () => ({ NOTIFICATIONS_WEBHOOK_SECRET: randomUUID() + randomUUID() }),
  'services/gateway': () => ({ GATEWAY_SERVICES: 'users' }),
};

/** Third-party packages of the transports: the entry must not load them before /livez answers. */
const TRANSPORT_PACKAGES = /^(fastify|@fastify\/|@modelcontextprotocol\/|@nats-io\/|mercurius|graphql)/;
/** Bundled bosun code of the transports and of the composition (the runtime imports it lazily). */
const TRANSPORT_SOURCES = /^packages\/(http|mcp|bus)\/|^packages\/runtime\/src\/compose-app\.ts$/;

const newKeys = (): Keys => ({
  privateJwk: () => JSON.stringify(generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' })),
});

const readJson = <T>(path: string): T => JSON.parse(readFileSync(join(repoRoot, path), 'utf8')) as T;

interface Manifest {
  name: string;
  dependencies?: Record<string, string>;
}

/** Directory of every workspace, by package name. */
function workspaces(): Map<string, string> {
  const lock = readJson<{ packages: Record<string, { name?: string; link?: boolean }> }>('package-lock.json');
  const dirs = new Map<string, string>();
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (path !== '' && !path.includes('node_modules/') && entry.name) dirs.set(entry.name, path);
  }
  return dirs;
}

/**
 * What `npm ci --omit=dev --workspace <service>` makes loadable for the bundle's externals:
 * the service's production dependencies and, transitively, those of the bosun packages it
 * depends on (their code is in the bundle, their imports stay external).
 */
function productionDependencies(dir: string): Set<string> {
  const dirs = workspaces();
  const allowed = new Set<string>();
  const seen = new Set<string>();
  const visit = (workspaceDir: string) => {
    if (seen.has(workspaceDir)) return;
    seen.add(workspaceDir);
    for (const dep of Object.keys(readJson<Manifest>(`${workspaceDir}/package.json`).dependencies ?? {})) {
      const linked = dirs.get(dep);
      if (linked) visit(linked);
      else allowed.add(dep);
    }
  };
  visit(dir);
  return allowed;
}

const packageOf = (specifier: string) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');
const isBuiltin = (specifier: string) =>
  specifier.startsWith('node:') || builtinModules.includes(specifier.split('/')[0]!);

/**
 * What the image's runtime stage holds, in a temporary directory: `<dir>/dist`,
 * `<dir>/package.json`, and node_modules beside them (the repo's, linked: a superset of the
 * production dependencies, which the externals test checks). Returns the service's directory in it.
 */
function imageLayout(root: string, dir: string): string {
  const app = join(root, dir);
  mkdirSync(app, { recursive: true });
  cpSync(join(repoRoot, dir, 'dist'), join(app, 'dist'), { recursive: true });
  cpSync(join(repoRoot, dir, 'package.json'), join(app, 'package.json'));
  symlinkSync(join(repoRoot, 'node_modules'), join(root, 'node_modules'));
  if (existsSync(join(repoRoot, dir, 'node_modules'))) {
    symlinkSync(join(repoRoot, dir, 'node_modules'), join(app, 'node_modules'));
  }
  return app;
}

/** Outputs (and their inputs and external imports) that load before any `import()`: the entry's static closure. */
function staticClosure(metafile: Metafile, entry: string) {
  const files = new Set<string>();
  const inputs = new Set<string>();
  const externals = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const output = metafile.outputs[file]!;
    for (const input of Object.keys(output.inputs)) inputs.add(input);
    for (const imp of output.imports) {
      if (imp.kind !== 'import-statement') continue;
      if (imp.external) externals.add(imp.path);
      else visit(imp.path);
    }
  };
  visit(entry);
  return { files, inputs, externals };
}

const all = deployables();

test('the deployables are discovered from disk', () => {
  expect(all.map((d) => d.dir)).toEqual(expect.arrayContaining(['examples/hello', 'services/users']));
});

// One database for the file, as in production: every service in its own schema.
const db = useTestDatabase({ label: 'bundles' });

describe.each(all)('$dir bundle', ({ dir }) => {
  let metafile: Metafile;
  let app: string;
  const image = mkdtempSync(join(tmpdir(), 'bosun-image-'));
  const entry = `${dir}/dist/main.js`;

  beforeAll(async () => {
    ({ metafile } = await bundleService(join(repoRoot, dir), { quiet: true }));
    app = imageLayout(image, dir);
  }, 60_000);
  afterAll(() => rmSync(image, { recursive: true, force: true }));

  test("bundles bosun's own code and leaves every third-party package external, each a production dependency", () => {
    const inputs = Object.keys(metafile.inputs);
    expect(inputs.filter((i) => i.includes('node_modules/'))).toEqual([]);
    expect(inputs).toContain(`${dir}/src/main.ts`);
    expect(inputs.some((i) => i.startsWith('packages/core/src/'))).toBe(true);
    // Every deployable runs under @bosun/runtime (the gateway too: its edge is a process component).
    expect(inputs.some((i) => i.startsWith('packages/runtime/src/'))).toBe(true);

    const externals = new Set(
      Object.values(metafile.outputs).flatMap((o) => o.imports.filter((i) => i.external).map((i) => i.path)),
    );
    const allowed = productionDependencies(dir);
    const missing = [...externals].filter((s) => !isBuiltin(s) && !allowed.has(packageOf(s)));
    expect(missing, `add them to ${dir}/package.json "dependencies"`).toEqual([]);
    expect([...externals].some((s) => s.startsWith('@bosun/'))).toBe(false);
  });

  test('the entry does not load the transports before the health server (LIVEZ_BEFORE_TRANSPORTS)', () => {
    const closure = staticClosure(metafile, entry);
    expect([...closure.inputs].filter((i) => TRANSPORT_SOURCES.test(i))).toEqual([]);
    expect(
      [...closure.externals].filter((s) => TRANSPORT_PACKAGES.test(s)),
      'load it with await import() where it is used, as @bosun/runtime loads compose-app',
    ).toEqual([]);
    // ...and the transports are there, in a chunk loaded later.
    const lazy = Object.entries(metafile.outputs).filter(([file]) => !closure.files.has(file));
    expect(
      lazy.some(
        ([, o]) =>
          Object.keys(o.inputs).some((i) => TRANSPORT_SOURCES.test(i)) ||
          o.imports.some((i) => i.external && TRANSPORT_PACKAGES.test(i.path)),
      ),
    ).toBe(true);
  });

  test('every chunk has a source map that names the TypeScript sources', () => {
    const chunks = Object.keys(metafile.outputs).filter((f) => f.endsWith('.js'));
    for (const chunk of chunks) {
      expect(Object.keys(metafile.outputs)).toContain(`${chunk}.map`);
      expect(readFileSync(join(repoRoot, chunk), 'utf8')).toMatch(
        /\/\/# sourceMappingURL=[\w.-]+\.js\.map\s*$/,
      );
    }
    const map = readJson<{ sources: string[] }>(`${entry}.map`);
    expect(map.sources).toContain('../src/main.ts');
  });

  describe('node dist/main.js with the image environment', () => {
    const dockerfile = readDockerfile(dir);
    const imageEnv = dockerfile ? envOf(dockerfile.at(-1)!) : { NODE_ENV: 'production' };
    const name = dir.split('/')[1]!;

    function productionEnv(overrides: Record<string, string> = {}): Record<string, string> {
      const keys = newKeys();
      const nats = natsUrl();
      const own = JSON.parse(keys.privateJwk()) as Record<string, string>;
      const { d: _private, ...publicJwk } = own;
      return {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        ...imageEnv,
        PORT: '0',
        HEALTH_PORT: '0',
        DATABASE_URL: db.url,
        ...(nats ? { NATS_URL: nats, BUS_SUBJECT_ROOT: `bundle_${randomUUID().slice(0, 8)}` } : {}),
        SERVICE_PRIVATE_KEY: JSON.stringify(own),
        SERVICE_TRUSTED_KEYS: JSON.stringify({ [name]: publicJwk }),
        ...(serviceEnv[dir]?.(keys) ?? {}),
        ...overrides,
      };
    }

    test('runs from the image layout: becomes ready, serves its OpenAPI document, exits 0 on SIGTERM', async () => {
      const proc = spawnService({ entry: 'dist/main.js', cwd: app, env: productionEnv() });
      const listening = JSON.parse(await proc.waitForLine(/"msg":"health server listening"/, 30_000)) as {
        port: number;
      };
      await proc.waitForHttp(`http://127.0.0.1:${listening.port}/readyz`, 200, 30_000);
      const serving = JSON.parse(await proc.waitForLine(/"msg":"serving"/, 30_000)) as { http: string[] };
      expect((await fetch(`${serving.http[0]}/openapi.json`)).status).toBe(200);
      proc.kill('SIGTERM');
      expect(await proc.exited).toEqual({ code: 0, signal: null });
    });

    test('a failed start logs a stack that points into the TypeScript sources', async () => {
      // Nothing listens on port 1: the bus fails to connect, and the start error is logged.
      const proc = spawnService({
        entry: 'dist/main.js',
        cwd: app,
        env: productionEnv({ NATS_URL: 'nats://127.0.0.1:1' }),
      });
      const fatal = JSON.parse(await proc.waitForLine(/"msg":"start failed: stopping"/, 30_000)) as {
        err: { stack: string };
      };
      expect(fatal.err.stack).toMatch(/packages\/core\/src\/[\w/-]+\.ts:\d+:\d+/);
      expect(fatal.err.stack).toContain(`${dir}/src/main.ts`);
      expect(fatal.err.stack).not.toMatch(/dist\/[\w-]+\.js:\d+/);
      expect((await proc.exited).code).toBe(1);
    });
  });
});
