import { defineConfig } from 'vitest/config';

/**
 * The tests StrykerJS runs against each mutant of src/core/engine (`npm run test:mutation`,
 * docs/mutation.md): the engine's own fast tests, the money-rule scenarios, the golden streams and
 * a short fixed-seed differential run. Left out for speed: the event-log codec test (19 s, the
 * golden streams hash every event) and the random engine property test (19 s, the differential
 * run covers the same ground with exact comparisons).
 */
export default defineConfig({
  test: {
    include: [
      'src/core/engine/**/*.test.ts',
      'test/engine/*.test.ts',
      'test/oracle/money-rules.test.ts',
      'test/oracle/differential.mutation-suite.ts',
      'test/golden/golden.test.ts',
    ],
    exclude: ['**/*.heavy.test.ts', 'test/engine/event-log.test.ts', 'test/engine/engine.property.test.ts', 'node_modules/**'],
    // A mismatch is reported at once: shrinking would cost each killed mutant minutes.
    env: { DIFFERENTIAL_NO_SHRINK: '1' },
    testTimeout: 60_000,
  },
});
