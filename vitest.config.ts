import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Console components are mounted in unit tests.
  plugins: [vue()],
  test: {
    include: ['tests/**/*.test.ts', 'server/**/*.test.ts', 'connectors/**/*.test.ts', 'shared/**/*.test.ts', 'config/**/*.test.ts', 'web/**/*.test.ts'],
    exclude: ['tests/e2e/**', 'node_modules/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
