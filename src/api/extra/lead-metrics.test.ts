import { describe, expect, it } from 'vitest';
import { cumulativeReturnsBps, maxDrawdownBps, sharpeRatio, windowFigures, winRateBps, type EquitySample } from './lead-metrics.js';

const E8 = 100_000_000n;
const usdt = (whole: number): bigint => BigInt(whole) * E8;
/** Daily samples: [equity, transfers since the previous sample]; the last one is "now". */
function series(...points: [number, number][]): EquitySample[] {
  return points.map(([equity, transfers], index) => ({
    atMs: index * 86_400_000, equityE8: usdt(equity), transfersE8: usdt(transfers), dayEnd: index > 0 && index < points.length - 1,
  }));
}

describe('lead profile arithmetic', () => {
  it('window PnL leaves transfers out; ROI is over the start equity plus net transfers, truncated to a basis point', () => {
    // 1,000 at the start, 500 added, 1,700 now: PnL 200 on 1,500 of capital = 13.33 %.
    expect(windowFigures(usdt(1000), usdt(1700), usdt(500))).toEqual({ pnlE8: usdt(200), roiBps: 1333n });
    expect(windowFigures(usdt(1000), usdt(900), 0n)).toEqual({ pnlE8: -usdt(100), roiBps: -1000n });
    expect(windowFigures(0n, 0n, 0n).roiBps).toBeUndefined();
  });

  it('maximum drawdown follows the time-weighted index, so a deposit is neither a gain nor a recovery', () => {
    // 1,000 → 1,200 (+20 %) → 900 (−25 %: the drawdown) → +1,000 deposited, ending at 1,900 (index flat).
    expect(maxDrawdownBps(series([0, 0], [1000, 1000], [1200, 0], [900, 0], [1900, 1000]))).toBe(2500n);
    // A withdrawal is not a loss: 1,000 → withdraw 400 → 600.
    expect(maxDrawdownBps(series([0, 0], [1000, 1000], [600, -400]))).toBe(0n);
    expect(maxDrawdownBps(series([0, 0], [1000, 1000], [0, 0]))).toBe(10_000n);
  });

  it('the performance curve is the drawdown\'s index as a cumulative return: a deposit is not a gain', () => {
    // 1,000 → 1,200 (+20 %) → 900 (−25 %: index 0.9) → +1,000 deposited, 1,900 (flat) → 2,090 (+10 %: 0.99).
    expect(cumulativeReturnsBps(series([0, 0], [1000, 1000], [1200, 0], [900, 0], [1900, 1000], [2090, 0])))
      .toEqual([0n, 0n, 2000n, -1000n, -1000n, -100n]);
    // No capital yet: the index holds at 1; truncation toward zero (1/3 of a bps is 0, −2/3 too).
    expect(cumulativeReturnsBps(series([0, 0], [0, 0], [3000, 3000], [3001, 0]))).toEqual([0n, 0n, 0n, 3n]);
    expect(cumulativeReturnsBps([])).toEqual([]);
  });

  it('Sharpe is the complete-day returns\' mean over their sample deviation × √365, and needs two days', () => {
    // Complete days: 0 → 1,000 with 1,000 deposited (0 %), +10 %, −5 %; the partial day to now is left out.
    const samples = series([0, 0], [1000, 1000], [1100, 0], [1045, 0], [5000, 0]);
    const returns = [0, 0.1, -0.05];
    const mean = returns.reduce((sum, value) => sum + value, 0) / returns.length;
    const deviation = Math.sqrt(returns.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (returns.length - 1));
    expect(sharpeRatio(samples)).toBeCloseTo((mean / deviation) * Math.sqrt(365), 9);
    expect(sharpeRatio(series([0, 0], [1000, 1000], [1100, 0]))).toBeUndefined();
  });

  it('win rate is wins over closing fills in basis points, undefined before the first close', () => {
    expect(winRateBps(3, 2)).toBe(6666n);
    expect(winRateBps(0, 0)).toBeUndefined();
  });
});
