/**
 * The recorder's own books agree with the engine: every account's equity kept from events equals
 * the engine's margin balance after every command, and every insurance-fund figure comes from the
 * fund's events (start + net = end; the liquidation log's fund deltas plus the payouts outside a
 * liquidation add up to the fees and deficits).
 */
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/sim/run/batch.js';
import { buildSummary } from '../../src/sim/report/summary.js';
import { hasData, scenario } from './support.js';

const MAY19 = 'btcusdt-perp-1m-2021-05-19.csv';

describe.runIf(hasData(MAY19))('recorder books', () => {
  it('keeps equity equal to the engine margin balance and the fund equal to its events', () => {
    const mismatches: string[] = [];
    let checked = 0;
    const result = runScenario(scenario({
      seed: 11, data: { file: MAY19, window: { start: '2021-05-19T13:00:00Z', end: '2021-05-19T13:20:00Z' } },
      engine: { insuranceFundUsdt: 50_000 },
      agents: [
        { type: 'marketMaker', name: 'mm', count: 2, capitalUsdt: 3_000_000, params: { levels: 3, levelQty: 0.3 } },
        { type: 'retail', count: 60, capitalUsdt: [200, 5_000], params: { meanEntryIntervalSec: [5, 60], meanHoldSec: [30, 300],
          leverage: { values: [10, 50, 100], weights: [1, 1, 1] } } },
      ],
    }), {
      hook: (world, recorder) => world.onCommand((command) => {
        if (command.seq % 97 !== 0) return;
        const mark = world.engine.market('BTCUSDT').markTicks;
        for (const agent of world.agents) {
          checked++;
          const engineE8 = world.engine.accountView(agent.accountId)!.marginBalanceE8;
          // The recorder's listener runs before this one (registered first), so its books are current.
          const trackedE8 = recorder.accounts.equityE8(agent.accountId, mark);
          if (trackedE8 !== engineE8) mismatches.push(`${command.seq} ${agent.name}: ${trackedE8} vs ${engineE8}`);
        }
      }),
    });
    expect(checked).toBeGreaterThan(1_000);
    expect(mismatches.slice(0, 5)).toEqual([]);
    const fund = result.recorder.insurance;
    expect(fund.balanceE8).toBe(result.world.engine.ledger().insuranceFundE8);
    expect(fund.startE8! + fund.netE8).toBe(fund.balanceE8);
    const attributed = result.recorder.liquidations.reduce((s, l) => s + l.fundDeltaE8, 0n);
    expect(attributed + fund.outsideLiquidationE8).toBe(fund.byReasonE8.LIQUIDATION_FEE + fund.byReasonE8.DEFICIT);
    expect(result.recorder.liquidations.length).toBeGreaterThan(3);
    const summary = buildSummary(result) as { insuranceFund: { startUsdt: string; endUsdt: string; netUsdt: string } };
    const { startUsdt, endUsdt, netUsdt } = summary.insuranceFund;
    // Each figure is printed to the cent on its own: they agree within one cent.
    expect(Math.abs(Math.round((Number(endUsdt) - Number(startUsdt) - Number(netUsdt)) * 100))).toBeLessThanOrEqual(1);
  });
});
