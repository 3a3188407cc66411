/**
 * Heavy: the three shipped crash days, whole, measured against the real data (src/sim/measure).
 * Each bound is a tolerance justified in docs/simulator.md ("What the replays are held to"): wide
 * enough for seeds and for the engine's money rules changing underneath (liquidation budgets,
 * isolated releases), tight enough that the simulator before the crash lab — index on the
 * perpetual's own candles, makers that left the book, arbitrage pinning the premium — fails them
 * (liquidated share in the crash window 11–25 %, ADL 24–33 % of liquidated volume, funding 0.01 %
 * at every settlement, no discount at the low). Every run also holds every invariant.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Comparison } from '../../src/sim/measure/compare.js';
import { buildSummary } from '../../src/sim/report/summary.js';
import { runScenario, type SimResult } from '../../src/sim/run/batch.js';
import { loadScenarioFile, scenarioDataFiles } from '../../src/sim/scenario/load.js';
import { hasData } from './support.js';

const SCENARIOS = join(import.meta.dirname, '../../scenarios');

function run(file: string): { result: SimResult; comparison: Comparison; summary: Record<string, unknown> } {
  const result = runScenario(loadScenarioFile(join(SCENARIOS, file)));
  const summary = buildSummary(result);
  const comparison = summary['comparison'] as Comparison;
  expect(comparison.available).toBe(true);
  expect(result.world.audit.violations.flatMap((v) => v.messages)).toEqual([]);
  expect(result.world.engine.checkInvariants(true)).toEqual([]);
  return { result, comparison, summary };
}

function available(file: string): boolean {
  const spec = loadScenarioFile(join(SCENARIOS, file)).spec;
  return [...scenarioDataFiles(spec), spec.compare!.perp].every((f) => hasData(f));
}

const minutes = (ms: number): number => Math.abs(ms) / 60_000;

describe.runIf(available('2021-05-19-btc.yaml'))('19 May 2021 against the real day', () => {
  it('follows the real perpetual, opens a discount in the crash, liquidates in it, and moves funding', () => {
    const { result, comparison: c, summary } = run('2021-05-19-btc.yaml');
    expect(c.returnCorrelation!).toBeGreaterThan(0.6);
    expect(Math.abs(c.low.difference!)).toBeLessThan(0.05);
    expect(minutes(c.low.simulatedAtMs - c.low.realAtMs)).toBeLessThanOrEqual(10);
    expect(c.basis.crashSimulatedMeanBps!).toBeLessThan(-15);
    expect(c.basis.minSimulated!).toBeLessThan(-0.02);
    expect(Math.abs(c.basis.simulatedMeanBps! - c.basis.realMeanBps!)).toBeLessThan(20);
    expect(c.crash.liquidatedShare).toBeGreaterThan(0.6 * c.crash.damageShareSpot);
    expect(c.adlShareOfLiquidatedVolume).toBeLessThan(0.1);
    expect(c.fundingDistinctRates).toBeGreaterThanOrEqual(2);
    const crashSettlement = c.funding.find((f) => f.timeMs === Date.parse('2021-05-19T16:00:00Z'))!;
    expect(crashSettlement.simulated).toBeLessThan(0);
    expect(crashSettlement.derivedFromCandles!).toBeLessThan(0);
    // The story's 100x long at the open is liquidated; high leverage fares worse than low.
    const named = summary['namedAccounts'] as { name: string; liquidations: number }[];
    expect(named.find((a) => a.name === 'long-100x-at-open')!.liquidations).toBeGreaterThanOrEqual(1);
    const bands = summary['leverageBands'] as { minLeverage: number; liquidationRate: number }[];
    expect(bands.find((b) => b.minLeverage === 51)!.liquidationRate).toBeGreaterThan(bands.find((b) => b.minLeverage === 1)!.liquidationRate);
    expect(result.world.audit.checks).toBeGreaterThan(result.world.commands / result.spec.audit.every);
  });
});

describe.runIf(available('2020-03-12-btc.yaml'))('12–13 March 2020 against the real day', () => {
  it('follows the real perpetual over both legs, liquidates in them, and moves funding', () => {
    const { comparison: c } = run('2020-03-12-btc.yaml');
    expect(c.returnCorrelation!).toBeGreaterThan(0.8);
    expect(Math.abs(c.low.difference!)).toBeLessThan(0.06);
    // The overnight index is hourly: the low can only be placed to its hour.
    expect(minutes(c.low.simulatedAtMs - c.low.realAtMs)).toBeLessThanOrEqual(60);
    expect(c.basis.minSimulated!).toBeLessThan(-0.02);
    expect(c.crash.liquidatedShare).toBeGreaterThan(0.45 * c.crash.damageShareSpot);
    expect(c.adlShareOfLiquidatedVolume).toBeLessThan(0.1);
    expect(c.funding.every((f) => f.simulated < 0.0001)).toBe(true);
  });
});

describe.runIf(available('2025-10-10-btc.yaml'))('10–11 October 2025 against the real day', () => {
  it('puts the cascade at 21:15–21:27, near the real low, with funding as settled', () => {
    const { comparison: c } = run('2025-10-10-btc.yaml');
    expect(c.returnCorrelation!).toBeGreaterThan(0.6);
    expect(Math.abs(c.low.difference!)).toBeLessThan(0.04);
    expect(minutes(c.low.simulatedAtMs - c.low.realAtMs)).toBeLessThanOrEqual(5);
    expect(c.crash.liquidatedShare).toBeGreaterThan(0.6 * c.crash.damageShareSpot);
    expect(c.adlShareOfLiquidatedVolume).toBeLessThan(0.1);
    expect(c.cascade!.liquidations).toBeGreaterThan(50);
    expect(c.cascade!.shareOfReplay).toBeGreaterThan(0.2);
    for (const f of c.funding.filter((x) => x.real !== null)) expect(Math.abs(f.simulated - f.real!)).toBeLessThan(0.0005);
    expect(c.openInterest!.simulatedChange!).toBeLessThan(0);
  });
});
