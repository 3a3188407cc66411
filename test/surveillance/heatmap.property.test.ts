/**
 * The exact heatmap on random engine streams (cross accounts with positions in both symbols,
 * isolated positions, funding, liquidations, ADL): after every command, for every open position,
 * - its level is the floor (long) / ceiling (short) of the engine's own liquidation price
 *   (AccountView.positions[].liquidationPrice, which for cross accounts holds the other symbols at
 *   their marks), or one tick beyond it where the engine's rounded-up maintenance already liquidates;
 * - the engine's liquidation rule holds at the level and not one tick on the safe side of it;
 * - the current mark is on the safe side of the level (the engine liquidated everything it crossed);
 * and the heatmap's totals per side equal the sum of |size| × level × k over those positions.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../src/core/engine/events.js';
import { fractionToTicks } from '../../src/core/engine/margin.js';
import { compileInstrument } from '../../src/core/instrument/instrument.js';
import { DEFAULT_INSTRUMENTS } from '../../src/core/instrument/catalog.js';
import { ruleHolds } from '../../src/surveillance/risk/ratio-level.js';
import { Surveillance } from '../../src/surveillance/service.js';
import { Harness } from '../support/engine-harness.js';
import { commandFor, setupAccounts, type Step } from '../support/random-stream.js';

const stepArbitrary = fc.tuple(fc.nat(1000), fc.nat(1000), fc.nat(1000), fc.nat(100_000), fc.nat(100_000), fc.nat(3000));

function check(h: Harness, surveillance: Surveillance): string[] {
  const problems: string[] = [];
  const totals = new Map<string, bigint>();
  for (let accountId = 1; accountId <= h.engine.ledger().accounts; accountId++) {
    const view = h.engine.accountView(accountId)!;
    for (const risk of view.positions) {
      if (risk.sizeLots === 0) continue;
      const position = surveillance.state.position(accountId, risk.symbol)!;
      const entry = surveillance.risk.entry(position);
      if (entry === undefined) {
        problems.push(`${accountId} ${risk.symbol}: no risk entry`);
        continue;
      }
      const instrument = position.marketState.instrument;
      const long = risk.sizeLots > 0;
      const figures = surveillance.state.positionFigures(position);
      if (risk.liquidationPrice === undefined) {
        if (entry.heat !== undefined) problems.push(`${accountId} ${risk.symbol}: engine has no liquidation price, heatmap level ${entry.liqTicks}`);
        continue;
      }
      const rounded = fractionToTicks(risk.liquidationPrice, long ? 'down' : 'up');
      const level = entry.liqTicks;
      if (level !== rounded && level !== rounded + (long ? 1 : -1)) {
        problems.push(`${accountId} ${risk.symbol}: level ${level}, engine liquidation price rounds to ${rounded}`);
      }
      const holds = (ticks: number): boolean => ruleHolds(instrument, risk.sizeLots, risk.costE8, 1n, 1n, figures.backingE8, ticks);
      if (!holds(level)) problems.push(`${accountId} ${risk.symbol}: the engine's rule does not hold at level ${level}`);
      if (holds(level + (long ? 1 : -1))) problems.push(`${accountId} ${risk.symbol}: the engine's rule still holds one tick past ${level}`);
      const mark = position.marketState.markTicks;
      if (long ? mark <= level : mark >= level) problems.push(`${accountId} ${risk.symbol}: mark ${mark} is past the level ${level}`);
      const key = `${risk.symbol}:${long ? 'long' : 'short'}`;
      const lots = BigInt(long ? risk.sizeLots : -risk.sizeLots);
      totals.set(key, (totals.get(key) ?? 0n) + BigInt(level) * lots * instrument.quotePerTickLotE8);
    }
  }
  for (const heat of surveillance.risk.heatmaps) {
    const symbol = heat.instrument.symbol;
    if (heat.longs.totalE8 !== (totals.get(`${symbol}:long`) ?? 0n)) problems.push(`${symbol} long total ${heat.longs.totalE8}`);
    if (heat.shorts.totalE8 !== (totals.get(`${symbol}:short`) ?? 0n)) problems.push(`${symbol} short total ${heat.shorts.totalE8}`);
  }
  return problems;
}

describe('exact heatmap', () => {
  it('places every position at the engine liquidation price after every command of random streams', () => {
    let placed = 0;
    let crossMulti = 0;
    fc.assert(fc.property(fc.array(stepArbitrary, { minLength: 50, maxLength: 250 }), fc.array(fc.nat(200_000), { minLength: 1, maxLength: 6 }),
      (steps, deposits) => {
        const h = new Harness();
        const surveillance = new Surveillance({ instruments: DEFAULT_INSTRUMENTS.map(compileInstrument) });
        const record = h.run.bind(h);
        h.run = (command, atMs = h.now) => {
          const events: EngineEvent[] = record(command, atMs);
          surveillance.ingest({ fromSeq: h.seq, toSeq: h.seq, atMs, events });
          const problems = check(h, surveillance);
          if (problems.length > 0) throw new Error(`after seq ${h.seq} (${command.type}):\n${problems.slice(0, 6).join('\n')}`);
          for (const entry of surveillance.risk.allEntries()) {
            if (entry.heat !== undefined) placed++;
            if (entry.account.crossOpen >= 2 && !entry.position.isolated) crossMulti++;
          }
          return events;
        };
        const accounts = setupAccounts(h, 6, deposits);
        for (const [kind, a, b, c, d, dt] of steps) {
          h.run(commandFor(h, accounts, [kind, a, b, c, d] as Step), h.now + (dt > 2990 ? 3 * 3_600_000 : dt));
        }
      }), { numRuns: 25, seed: 7 });
    expect(placed).toBeGreaterThan(1000);
    // Cross accounts with positions in both symbols are the case the engine's index only bands.
    expect(crossMulti).toBeGreaterThan(100);
  });
});
