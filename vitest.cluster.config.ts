import { defineConfig } from 'vitest/config';

// Cluster suites (*.cluster.test.ts) run against real servers (PostgreSQL, NATS) that they start
// from Debian packages through scripts/cluster/: `npm run test:cluster`; `.ci/run` installs them.
export default defineConfig({
  test: {
    include: ['test/cluster/**/*.cluster.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    fileParallelism: false,
  },
});
