/**
 * The differential run that mutation testing uses (vitest.mutation.config.ts; not in `npm test`):
 * a few fixed-seed streams, no shrinking, so a mutant that changes any compared number fails in
 * seconds. Fixed seed: a mutant's verdict must not depend on the clock.
 */
import { describe, it } from 'vitest';
import { assertDifferential } from './differential.js';

const SEED = 3;
/** Enough streams to pass most rules (about 4 s); the full coverage list needs the 32 of the fast suite. */
const STREAMS = Number(process.env['DIFFERENTIAL_RUNS'] ?? 8);

describe('differential (mutation suite)', () => {
  it('engine and reference agree on a few fixed-seed streams', () => {
    assertDifferential({ seed: SEED, numRuns: STREAMS, minActions: 60, maxActions: 240, timeLimitMs: 60_000 });
  });
});
