import { defineConfig } from 'vitest/config';

/** Browser scenarios against a real hub: run one file at a time, with room for Chromium to start. */
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.e2e.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    pool: 'forks',
  },
});
