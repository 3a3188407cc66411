/**
 * The engine against the reference engine on random command streams (test/oracle/README.md):
 * a fixed seed, so every run checks the same streams, and a random one, printed on failure (rerun
 * with DIFFERENTIAL_SEED=<seed>). Bounded to about half a minute; the heavy suite runs longer.
 */
import { describe, expect, it } from 'vitest';
import { assertDifferential, REQUIRED_COVERAGE } from './differential.js';

/**
 * Chosen so that its 32 streams reach the whole REQUIRED_COVERAGE list (partial liquidations are
 * the rarest); after a generator change that makes it fall short, raise numRuns or pick another.
 */
const FIXED_SEED = 3;

describe('differential: engine vs reference engine', () => {
  it('agree on every command of the fixed-seed streams, which reach every rule', () => {
    const coverage = assertDifferential({ seed: FIXED_SEED, numRuns: 32, minActions: 60, maxActions: 240, timeLimitMs: 60_000 });
    expect(REQUIRED_COVERAGE.filter((key) => (coverage.get(key) ?? 0) === 0)).toEqual([]);
  });

  it('agree on random-seed streams', () => {
    const seed = Number(process.env['DIFFERENTIAL_SEED'] ?? Date.now() % 2_147_483_647);
    assertDifferential({ seed, numRuns: 10, minActions: 60, maxActions: 240, timeLimitMs: 60_000 });
  });
});
