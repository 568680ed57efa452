import { defineConfig } from 'vitest/config';

// Two cores on CI machines: two forks, long timeouts for the seeded statistical tests (the longest take a
// minute alone and twice that while the other fork and its kernel worker threads share the cores).
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts', 'tests/**/*.test.tsx'],
    globalSetup: ['tests/setup/backends.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 300_000,
    hookTimeout: 120_000,
  },
});
