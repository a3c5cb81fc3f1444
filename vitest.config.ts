import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Vitest's default on a 2-core machine is one worker, which runs the files one after another;
    // most of the suite's time is spent waiting on CLI child processes and worker threads, so two
    // files at a time fit the two cores.
    maxWorkers: 2,
    globalSetup: ['test/temp-root.ts'],
    setupFiles: ['test/register-layers.ts'],
  },
});
