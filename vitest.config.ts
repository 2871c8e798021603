import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'packages/*/tests/**/*.test.ts',
      'services/*/tests/**/*.test.ts',
      'examples/*/tests/**/*.test.ts',
      'apps/*/tests/**/*.test.ts',
      'tools/tests/**/*.test.ts',
    ],
    globalSetup: ['packages/testing/src/global-setup.ts'],
    reporters: ['default', './tools/plain-reporter.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    teardownTimeout: 30_000,
    // expect.poll succeeds as soon as its condition holds; the bound only matters on a loaded
    // machine (2 cores shared by parallel files), where 1 s (the default) made tests flaky.
    expect: { poll: { timeout: 10_000, interval: 20 } },
  },
});
