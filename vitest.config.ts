import { defineConfig } from 'vitest/config';

// Two cores on CI machines: two forks, long timeouts for the seeded statistical tests.
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts', 'tests/**/*.test.tsx'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
