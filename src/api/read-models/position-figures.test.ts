import { describe, expect, it } from 'vitest';
import { BTCUSDT, compileInstrument, RATE_ONE } from '../../core/index.js';
import { breakEvenPrice, quantilesOf } from './position-figures.js';

describe('position figures', () => {
  const instrument = compileInstrument(BTCUSDT);

  it('puts the break-even price beyond the entry by the taker fee of opening and closing', () => {
    const entry = { num: 600_000n, den: 1n };
    const fee = instrument.takerFeeE8;
    expect(breakEvenPrice(instrument, 5, entry)).toEqual({ num: 600_000n * (RATE_ONE + fee), den: RATE_ONE - fee });
    expect(breakEvenPrice(instrument, -5, entry)).toEqual({ num: 600_000n * (RATE_ONE - fee), den: RATE_ONE + fee });
    expect(breakEvenPrice(instrument, 0, entry)).toBeUndefined();
  });

  it('ranks ADL scores into quantiles 0..4: 0 without profit, the highest score 4', () => {
    const score = (num: bigint): { num: bigint; den: bigint } => ({ num, den: 1n });
    expect(quantilesOf([score(5n), score(0n), score(1n), score(3n)])).toEqual([4, 0, 2, 3]);
    expect(quantilesOf([score(7n)])).toEqual([4]);
    expect(quantilesOf([score(2n), score(2n)])).toEqual([4, 4]);
    expect(quantilesOf([])).toEqual([]);
  });
});
