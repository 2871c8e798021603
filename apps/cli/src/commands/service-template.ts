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
        scripts: { start: 'tsx src/main.ts' },
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
    Dockerfile: `# ${name}: multi-stage image. Build from the repository root:
#   docker build -f services/${name}/Dockerfile -t ${name} .
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY . .
RUN npm ci --no-audit --no-fund

FROM node:20-bookworm-slim
LABEL org.opencontainers.image.title="${name}" org.opencontainers.image.source="https://github.com/bosun-dev/bosun"
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build --chown=1001:1001 /app /app
USER 1001
EXPOSE 3000 9000
CMD ["node", "--import", "tsx", "services/${name}/src/main.ts"]
`,
  };
}
