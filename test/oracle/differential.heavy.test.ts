/**
 * The long differential run (npm run test:heavy): many more and longer streams than the fast
 * suite, a fixed seed and a random one (printed on failure; rerun with DIFFERENTIAL_SEED=<seed>).
 */
import { describe, expect, it } from 'vitest';
import { assertDifferential, REQUIRED_COVERAGE } from './differential.js';

describe('differential: engine vs reference engine (heavy)', () => {
  it('agree on long fixed-seed streams', () => {
    const coverage = assertDifferential({ seed: 1_305_2026, numRuns: 120, minActions: 150, maxActions: 500, timeLimitMs: 170_000 });
    expect(REQUIRED_COVERAGE.filter((key) => (coverage.get(key) ?? 0) === 0)).toEqual([]);
  });

  it('agree on long random-seed streams', () => {
    const seed = Number(process.env['DIFFERENTIAL_SEED'] ?? Date.now() % 2_147_483_647);
    assertDifferential({ seed, numRuns: 30, minActions: 150, maxActions: 500, timeLimitMs: 50_000 });
  });
});
