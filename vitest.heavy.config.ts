import { defineConfig } from 'vitest/config';

// Heavy suites: crash/kill loops, long fuzz runs, full-data replays. CI runs them after the fast suite.
export default defineConfig({
  test: {
    include: ['src/**/*.heavy.test.ts', 'test/**/*.heavy.test.ts'],
    testTimeout: 900_000,
    hookTimeout: 300_000,
    fileParallelism: false,
  },
});
