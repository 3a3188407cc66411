/**
 * The liquidation index against brute force: after any sequence of filings, re-filings and
 * removals, the accounts collected for a mark are exactly those whose position is at risk there
 * (long: key ≥ mark, short: key ≤ mark; a long filed at key ≤ 0 is not filed), and the index's
 * own integrity check holds. Thousands of positions make the reused output buffer grow.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LiquidationIndex } from './liquidation-index.js';
import { Position } from './state.js';

const MAX_TICKS = 3_000_000; // > 2^20, so buckets span several ticks and boundary buckets need the key check

describe('liquidation index', () => {
  it('collects exactly the accounts at risk for any mark, after any filings and removals', () => {
    const operation = fc.tuple(fc.integer({ min: 0, max: 2_999 }), fc.boolean(), fc.integer({ min: -5, max: MAX_TICKS + 5 }),
      fc.integer({ min: 0, max: 9 }));
    fc.assert(fc.property(fc.array(operation, { minLength: 1, maxLength: 3_000 }), fc.array(fc.integer({ min: 0, max: MAX_TICKS }), {
      minLength: 1, maxLength: 8 }), (operations, marks) => {
      const index = new LiquidationIndex(MAX_TICKS);
      const positions = new Map<number, Position>();
      const filed = new Map<number, { isLong: boolean; key: number }>();
      for (const [accountId, isLong, key, action] of operations) {
        let position = positions.get(accountId);
        if (position === undefined) {
          position = new Position(accountId, 0, 10, false);
          positions.set(accountId, position);
        }
        if (action === 0) {
          index.remove(position);
          filed.delete(accountId);
        } else {
          index.upsert(position, isLong, key);
          if (isLong && key <= 0) filed.delete(accountId);
          else filed.set(accountId, { isLong, key: Math.min(MAX_TICKS, Math.max(1, key)) });
        }
      }
      index.checkIntegrity();
      expect(index.size).toBe(filed.size);
      // Also marks exactly at, just below and just above filed keys (the inclusive boundary).
      const boundaries = [...filed.values()].slice(0, 6).flatMap((entry) => [entry.key - 1, entry.key, entry.key + 1]);
      for (const rawMark of [...marks, ...boundaries]) {
        // Marks, like keys, are taken within [1, max ticks].
        const mark = Math.min(MAX_TICKS, Math.max(1, rawMark));
        const expected = [...filed].filter(([, entry]) => (entry.isLong ? entry.key >= mark : entry.key <= mark))
          .map(([accountId]) => accountId).sort((a, b) => a - b);
        const found = [...index.collectAccountsAtRisk(rawMark)].sort((a, b) => a - b);
        expect(found).toEqual(expected);
      }
    }), { numRuns: 60 });
  });
});
