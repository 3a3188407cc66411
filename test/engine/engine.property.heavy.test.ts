/**
 * The heavy version of engine.property.test.ts: many more and longer random streams, with the
 * auditor (including the books' deep self-checks) after every command. Run by `npm run test:heavy`.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Harness } from '../support/engine-harness.js';
import { commandFor, setupAccounts, type Step } from '../support/random-stream.js';

describe('engine properties (heavy)', () => {
  it('invariants hold after every command over long streams', () => {
    const step = fc.tuple(fc.nat(1000), fc.nat(1000), fc.nat(1000), fc.nat(100_000), fc.nat(100_000), fc.nat(3000));
    fc.assert(fc.property(fc.array(step, { minLength: 500, maxLength: 2000 }), fc.array(fc.nat(300_000), { minLength: 1, maxLength: 8 }),
      (steps, deposits) => {
        const h = new Harness();
        const accounts = setupAccounts(h, 8, deposits);
        steps.forEach(([kind, a, b, c, d, dt], index) => {
          h.run(commandFor(h, accounts, [kind, a, b, c, d] as Step), h.now + (dt > 2990 ? 3 * 3_600_000 : dt));
          const violations = h.engine.checkInvariants(index % 50 === 0);
          if (violations.length > 0) throw new Error(`after seq ${h.seq}: ${violations.join('; ')}`);
        });
        expect(h.engine.checkInvariants(true)).toEqual([]);
      }), { numRuns: 150, seed: 1_454 });
  });
});
