import { defineConfig } from 'vitest/config';

// Cluster suites (*.cluster.test.ts): a real 3-node NATS JetStream cluster and engine nodes as child
// processes. They need nats-server (scripts/cluster/install-nats.sh); `npm run test:cluster`.
export default defineConfig({
  test: {
    include: ['test/**/*.cluster.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
