/**
 * Heavy: the shipped 19 May 2021 BTC scenario, full day, 1,000 agents, auditor every 5,000
 * commands and after every liquidation. Checks the story's outcomes and every invariant.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/sim/run/batch.js';
import { buildSummary } from '../../src/sim/report/summary.js';
import { loadScenarioFile } from '../../src/sim/scenario/load.js';
import { hasData } from './support.js';

describe.runIf(hasData('btcusdt-perp-1m-2021-05-19.csv'))('2021-05-19 BTC, full day', () => {
  it('liquidates the 100x long, most high-leverage retail, and conserves collateral', () => {
    const loaded = loadScenarioFile(join(import.meta.dirname, '../../scenarios/2021-05-19-btc.yaml'));
    const result = runScenario(loaded);
    const summary = buildSummary(result) as {
      liquidations: { count: number }; namedAccounts: { name: string; liquidations: number }[];
      leverageDistribution: { leverage: number; survived: number; liquidated: number }[];
    };
    expect(result.world.agents).toHaveLength(1_000);
    expect(summary.liquidations.count).toBeGreaterThan(100);
    expect(summary.namedAccounts.find((a) => a.name === 'long-100x-at-open')!.liquidations).toBe(1);
    const share = (min: number, max: number): number => {
      const rows = summary.leverageDistribution.filter((b) => b.leverage >= min && b.leverage <= max);
      const liq = rows.reduce((s, b) => s + b.liquidated, 0);
      return liq / rows.reduce((s, b) => s + b.liquidated + b.survived, 0);
    };
    expect(share(75, 125)).toBeGreaterThan(share(1, 10));
    // Every invariant (conservation, no negative balance, no account below maintenance, books)
    // holds at every audit and at the end.
    expect(result.world.audit.violations.flatMap((v) => v.messages)).toEqual([]);
    expect(result.world.engine.checkInvariants(true)).toEqual([]);
    expect(result.world.audit.checks).toBeGreaterThan(result.world.commands / 5_000);
  });
});
