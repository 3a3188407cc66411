import { defineConfig } from 'vitest/config';

// Fast suites run by default (`npm test`); heavy suites (*.heavy.test.ts) run via `npm run test:heavy`,
// cluster suites (*.cluster.test.ts, real NATS servers) via `npm run test:cluster`.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'web/src/**/*.test.ts'],
    exclude: ['**/*.heavy.test.ts', '**/*.cluster.test.ts', 'node_modules/**', 'dist/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
