/**
 * The index's candles: joined files continue where the previous one ends, and a USD index
 * rescaled to hourly USDT closes lands exactly on each hour's close, with the ratio interpolated in
 * between (scenario/index-data.ts).
 */
import { describe, expect, it } from 'vitest';
import { loadIndexData } from '../../src/sim/scenario/index-data.js';
import { FIXTURES } from './support.js';

const T0 = 1_760_054_400_000;
const HOUR = 3_600_000;

describe('index data', () => {
  it('joins an hourly file after a 1-minute one ends', () => {
    const data = loadIndexData({ files: ['usd-index-1m.csv', 'usdt-spot-1h.csv'], baseDir: FIXTURES });
    expect(data.candles).toHaveLength(121);
    expect(data.candles[119]!.durationMs).toBe(60_000);
    expect(data.candles[120]!.candle.openTimeMs).toBe(T0 + 2 * HOUR);
    expect(data.candles[120]!.durationMs).toBe(HOUR);
    expect(data.intervalMs).toBe(60_000);
    expect(data.gaps).toBe(0);
  });

  it('lands every hour on the rescale file and interpolates the ratio between hours', () => {
    const plain = loadIndexData({ files: ['usd-index-1m.csv'], baseDir: FIXTURES });
    const scaled = loadIndexData({ files: ['usd-index-1m.csv'], rescaleTo: 'usdt-spot-1h.csv', baseDir: FIXTURES });
    const anchors = [1.001, 0.998];
    // Hour ends: the rescaled close equals the anchor close (ratio × the USD close).
    for (const [hour, ratio] of anchors.entries()) {
      const last = 60 * (hour + 1) - 1;
      expect(scaled.candles[last]!.candle.close).toBeCloseTo(plain.candles[last]!.candle.close * ratio, 6);
    }
    // Half-way through the second hour, the ratio is half-way between the anchors.
    const mid = 89;
    const ratio = scaled.candles[mid]!.candle.close / plain.candles[mid]!.candle.close;
    expect(ratio).toBeCloseTo(1.001 + (0.998 - 1.001) * (30 / 60), 6);
    // Before the first anchor the first ratio holds; every candle stays a candle.
    expect(scaled.candles[0]!.candle.open / plain.candles[0]!.candle.open).toBeCloseTo(1.001, 6);
    for (const { candle } of scaled.candles) {
      expect(candle.low).toBeLessThanOrEqual(Math.min(candle.open, candle.close));
      expect(candle.high).toBeGreaterThanOrEqual(Math.max(candle.open, candle.close));
    }
  });
});
