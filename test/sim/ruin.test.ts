/**
 * Risk of ruin: runs on the engine, probabilities are cumulative and grow with leverage.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCandleFile } from '../../src/sim/data/load.js';
import { parseDuration } from '../../src/sim/ruin/duration.js';
import { ruinSvg, ruinTable } from '../../src/sim/ruin/report.js';
import { runRuin, wilsonInterval } from '../../src/sim/ruin/ruin.js';
import { FIXTURES } from './support.js';

describe('risk of ruin', () => {
  const series = loadCandleFile(join(FIXTURES, 'synthetic-1m.csv'));
  const base = {
    leverages: [5, 50, 125], paths: 12, horizonMs: parseDuration('2h'), checkpointsMs: [parseDuration('30m'), parseDuration('2h')],
    candles: series.candles, intervalMs: series.intervalMs, blockLength: 10, marginUsdt: 100, startPrice: 50_000, seed: 4,
  };

  it('liquidates high leverage more often, with cumulative probabilities, and the auditor clean', () => {
    const result = runRuin({ ...base, strategy: 'hold-long' });
    const [low, mid, high] = result.outcomes;
    expect(low!.opened).toBe(12);
    expect(high!.opened).toBe(12);
    for (const o of result.outcomes) {
      expect(o.probability[0]!).toBeLessThanOrEqual(o.probability[1]!);
      expect(o.liquidated).toBe(o.timesMs.length);
      expect(o.probability[1]).toBeCloseTo(o.liquidated / o.opened, 10);
    }
    expect(high!.probability[1]!).toBeGreaterThanOrEqual(mid!.probability[1]!);
    expect(mid!.probability[1]!).toBeGreaterThanOrEqual(low!.probability[1]!);
    expect(high!.liquidated).toBeGreaterThan(0);
    expect(low!.liquidated).toBe(0);
    expect(result.auditViolations).toBe(0);
    for (const o of result.outcomes) {
      o.probability.forEach((p, i) => {
        expect(o.interval[i]![0]).toBeLessThanOrEqual(p);
        expect(o.interval[i]![1]).toBeGreaterThanOrEqual(p);
      });
    }
    expect(ruinTable(result)).toMatch(/125x\s+12/);
    expect(ruinTable(result)).toMatch(/\(\d+\.\d–\d+\.\d\)/);
    expect(ruinSvg(result)).toContain('<svg');
  });

  it('is reproducible for a seed and runs the scalper strategy', () => {
    const a = runRuin({ ...base, strategy: 'hold-short', paths: 4 });
    const b = runRuin({ ...base, strategy: 'hold-short', paths: 4 });
    expect(b.outcomes).toEqual(a.outcomes);
    const s = runRuin({ ...base, strategy: 'scalper', leverages: [100], paths: 3 });
    expect(s.outcomes[0]!.opened).toBeGreaterThan(0);
    expect(s.auditViolations).toBe(0);
  });
});

describe('Wilson interval', () => {
  it('matches published values and narrows with more paths', () => {
    // 0 of 200: [0, 1.88 %]; 100 of 200: [43.1 %, 56.9 %] (z = 1.96).
    const [low0, high0] = wilsonInterval(0, 200);
    expect(low0).toBe(0);
    expect(high0).toBeCloseTo(0.0188, 3);
    const [low, high] = wilsonInterval(100, 200);
    expect(low).toBeCloseTo(0.4313, 3);
    expect(high).toBeCloseTo(0.5687, 3);
    const wide = wilsonInterval(10, 20);
    expect(wide[1] - wide[0]).toBeGreaterThan(high - low);
    expect(wilsonInterval(0, 0)).toEqual([0, 1]);
  });
});
