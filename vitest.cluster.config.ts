import { defineConfig } from 'vitest/config';

// Cluster suites (*.cluster.test.ts) run against real servers they start themselves: PostgreSQL 15
// (Debian 12's package) and a 3-node NATS JetStream cluster (scripts/cluster/install-nats.sh fetches
// Debian 13's nats-server), with engine nodes as child processes. `npm run test:cluster`; `.ci/run`
// installs the packages.
export default defineConfig({
  test: {
    include: ['test/cluster/**/*.cluster.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    fileParallelism: false,
  },
});
