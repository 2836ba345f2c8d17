import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Socket and process tests share ports and CPU; two workers match the CI machine.
    maxWorkers: 2,
    reporters: ['default'],
  },
});
