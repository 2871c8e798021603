/**
 * The image rules, checked by reading every deployable's Dockerfile (no Docker engine
 * runs here, so an image is never built in tests; service-bundles.process.test.ts runs
 * what its CMD runs). The rules and the pattern to copy are in docs/deploy.md.
 */
import { describe, expect, test } from 'vitest';
import { serviceFiles } from '../../apps/cli/src/commands/service-template.js';
import { deployables, envOf, labelsOf, parseDockerfile, readDockerfile, type Stage } from './dockerfile.js';

const BASE = 'node:20-bookworm-slim';
const LABELS = [
  'org.opencontainers.image.title',
  'org.opencontainers.image.description',
  'org.opencontainers.image.source',
  'org.opencontainers.image.licenses',
  'org.opencontainers.image.version',
  'org.opencontainers.image.revision',
];

const all = deployables();

test('every deployable is found, and every service has a Dockerfile', () => {
  expect(all.map((d) => d.dir)).toEqual(expect.arrayContaining(['examples/hello', 'services/users']));
  const missing = all
    .filter((d) => d.dir.startsWith('services/') && !readDockerfile(d.dir))
    .map((d) => d.dir);
  expect(missing, 'add a Dockerfile following services/users/Dockerfile (docs/deploy.md)').toEqual([]);
});

const withDockerfile = all.flatMap((d) => {
  const stages = readDockerfile(d.dir);
  return stages ? [{ ...d, label: `${d.dir}/Dockerfile`, stages }] : [];
});
// What `bosun new` scaffolds must follow the same rules.
withDockerfile.push({
  dir: 'services/scaffolded-demo',
  packageName: '@bosun/service-scaffolded-demo',
  label: 'the Dockerfile `bosun new scaffolded-demo` writes',
  stages: parseDockerfile(serviceFiles('scaffolded-demo').Dockerfile!),
});

describe.each(withDockerfile)('$label', ({ dir, packageName, stages }) => {
  const last = stages.at(-1) as Stage;
  const runs = stages.flatMap((s) => s.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args));

  test(`is multi-stage, every stage from ${BASE} or an earlier stage`, () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    stages.forEach((stage, index) => {
      const earlier = stages.slice(0, index).map((s) => s.name);
      expect([BASE, ...earlier], `FROM ${stage.from}`).toContain(stage.from);
    });
    expect(last.from, 'the runtime stage starts from the slim base, not from the build stage').toBe(BASE);
  });

  test('a build stage runs npm ci and bundles this service with tools/bundle.mjs', () => {
    expect(runs.some((r) => /\bnpm ci\b(?!.*--omit=dev)/.test(r))).toBe(true);
    expect(runs.some((r) => r.includes(`node tools/bundle.mjs ${dir}`))).toBe(true);
  });

  test('production dependencies come from npm ci --omit=dev for this workspace only', () => {
    expect(
      runs.some((r) => r.includes('npm ci --omit=dev') && r.includes(`--workspace ${packageName}`)),
    ).toBe(true);
  });

  test('the runtime stage copies only dist/, node_modules and package.json from the other stages', () => {
    const copies = last.instructions.filter((i) => i.keyword === 'COPY' || i.keyword === 'ADD');
    expect(copies.length).toBeGreaterThan(0);
    for (const copy of copies) {
      expect(copy.keyword, `line ${copy.line}`).toBe('COPY');
      const parts = copy.args.split(/\s+/).filter((p) => !p.startsWith('--'));
      expect(copy.args, `line ${copy.line}: copy from the build stages, not the context`).toMatch(/--from=/);
      for (const source of parts.slice(0, -1)) {
        expect(source, `line ${copy.line}`).toMatch(/\/(dist|node_modules|package\.json)$/);
      }
    }
  });

  test('runs as user 1001, exposes its ports, sets the production env, and has no HEALTHCHECK', () => {
    const users = last.instructions.filter((i) => i.keyword === 'USER').map((i) => i.args);
    expect(users.at(-1)).toMatch(/^1001(:1001)?$/);
    const expose = last.instructions
      .filter((i) => i.keyword === 'EXPOSE')
      .flatMap((i) => i.args.split(/\s+/));
    expect(expose).toEqual(expect.arrayContaining(['3000', '9000']));
    const env = envOf(last);
    expect(env).toMatchObject({ NODE_ENV: 'production', PORT: '3000', HEALTH_PORT: '9000' });
    expect(env.NODE_OPTIONS ?? '', 'TypeScript stack traces from the source maps').toContain(
      '--enable-source-maps',
    );
    const healthchecks = stages.flatMap((s) => s.instructions.filter((i) => i.keyword === 'HEALTHCHECK'));
    expect(healthchecks, 'probes belong to the orchestrator (/livez, /readyz on HEALTH_PORT)').toEqual([]);
  });

  test('carries the OCI labels', () => {
    expect(labelsOf(last)).toEqual(expect.arrayContaining(LABELS));
  });

  test('starts with CMD ["node", "dist/main.js"] from the service directory', () => {
    const cmds = last.instructions.filter((i) => i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT');
    expect(cmds.map((c) => `${c.keyword} ${c.args}`)).toEqual(['CMD ["node", "dist/main.js"]']);
    const workdir = last.instructions.filter((i) => i.keyword === 'WORKDIR').at(-1)?.args;
    expect(workdir).toBe(`/app/${dir}`);
    const userLine = last.instructions.findLast((i) => i.keyword === 'USER')!.line;
    expect(userLine).toBeLessThan(cmds[0]!.line);
  });
});
