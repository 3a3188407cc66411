/**
 * Intra-candle index path: inside each candle's range, open first, close last, both extremes
 * visited, seeded.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileInstrument, BTCUSDT, ETHUSDT } from '../../src/core/index.js';
import type { CandleSeries, TickCandle } from '../../src/sim/data/candle.js';
import { candlePath, indexPath, pointsPerCandle } from '../../src/sim/data/index-path.js';
import { loadCandleFile } from '../../src/sim/data/load.js';
import { toTickCandle } from '../../src/sim/data/ticks.js';
import { Rng } from '../../src/sim/rng.js';
import { DATA_DIR, FIXTURES, hasData } from './support.js';

function checkSeries(series: CandleSeries, tickOf: typeof BTCUSDT, stepMs: number): number {
  const tick = compileInstrument(tickOf).tick;
  const rng = new Rng(7, 'path');
  const out: number[] = [];
  let points = 0;
  for (const candle of series.candles) {
    const t = toTickCandle(candle, series.intervalMs, tick);
    const n = candlePath(t, stepMs, rng, out);
    expect(n).toBe(pointsPerCandle(series.intervalMs, stepMs));
    const path = out.slice(0, n);
    // Never outside the candle (on the tick grid: [low rounded up, high rounded down]).
    for (const p of path) {
      expect(Number.isInteger(p)).toBe(true);
      expect(p).toBeGreaterThanOrEqual(t.lowTicks);
      expect(p).toBeLessThanOrEqual(t.highTicks);
      // And the real prices: low ≤ p × tick ≤ high (checked in float with a sub-tick margin).
      expect(p * 0.1 * (tickOf === BTCUSDT ? 1 : 0.1)).toBeGreaterThanOrEqual(candle.low - 1e-9);
      expect(p * 0.1 * (tickOf === BTCUSDT ? 1 : 0.1)).toBeLessThanOrEqual(candle.high + 1e-9);
    }
    expect(path[0]).toBe(t.openTicks);
    if (n >= 2) expect(path[n - 1]).toBe(t.closeTicks);
    if (n >= 4) {
      expect(path).toContain(t.highTicks);
      expect(path).toContain(t.lowTicks);
      // The order the candle implies: rising candles touch the low before the high.
      if (t.closeTicks > t.openTicks && t.highTicks !== t.lowTicks) {
        expect(path.indexOf(t.lowTicks)).toBeLessThanOrEqual(path.lastIndexOf(t.highTicks));
      }
      if (t.closeTicks < t.openTicks) expect(path.indexOf(t.highTicks)).toBeLessThanOrEqual(path.lastIndexOf(t.lowTicks));
    }
    points += n;
  }
  return points;
}

describe('intra-candle index path', () => {
  it('stays within each candle of the synthetic fixture, at several steps', () => {
    const series = loadCandleFile(join(FIXTURES, 'synthetic-1m.csv'));
    for (const step of [1_000, 5_000, 15_000, 20_000, 30_000, 60_000]) checkSeries(series, BTCUSDT, step);
  });

  it('is seeded: same seed same path, other seed other path', () => {
    const candle: TickCandle = { openTimeMs: 0, durationMs: 60_000, openTicks: 1000, highTicks: 1100, lowTicks: 900, closeTicks: 1050 };
    const run = (seed: number): number[] => [...indexPath([candle, { ...candle, openTimeMs: 60_000 }], 1_000, new Rng(seed))].map((p) => p.ticks);
    expect(run(1)).toEqual(run(1));
    expect(run(1)).not.toEqual(run(2));
    const times = [...indexPath([candle], 1_000, new Rng(1))].map((p) => p.atMs);
    expect(times).toEqual(Array.from({ length: 60 }, (_, i) => i * 1_000));
  });

  it('degrades sensibly with fewer than four points per candle', () => {
    const candle: TickCandle = { openTimeMs: 0, durationMs: 60_000, openTicks: 1000, highTicks: 1100, lowTicks: 950, closeTicks: 1050 };
    const out: number[] = [];
    expect(candlePath(candle, 60_000, new Rng(1), out)).toBe(1);
    expect(out[0]).toBe(1000);
    expect(candlePath(candle, 30_000, new Rng(1), out)).toBe(2);
    expect(out.slice(0, 2)).toEqual([1000, 1050]);
    expect(candlePath(candle, 20_000, new Rng(1), out)).toBe(3);
    expect(out.slice(0, 3)).toEqual([1000, 1100, 1050]);
  });

  it.runIf(hasData('btcusdt-perp-1m-2021-05-19.csv'))('stays within every candle of 19 May 2021 (BTC perp, 1 s step)', () => {
    const series = loadCandleFile(join(DATA_DIR, 'btcusdt-perp-1m-2021-05-19.csv'));
    expect(checkSeries(series, BTCUSDT, 1_000)).toBe(1440 * 60);
  });

  it.runIf(hasData('ethusdt-1m-2021-05-17_2021-05-20.csv'))('stays within every candle of the ETH file (5 s step)', () => {
    const series = loadCandleFile(join(DATA_DIR, 'ethusdt-1m-2021-05-17_2021-05-20.csv'));
    expect(checkSeries(series, ETHUSDT, 5_000)).toBe(series.candles.length * 12);
  });
});
