/**
 * Properties of the margin arithmetic (fast-check, exact rational checks):
 * - maintenance margin is non-decreasing in notional and continuous at bracket boundaries;
 * - at the computed liquidation price, equity equals maintenance margin exactly (for every
 *   bracket the price lands in), and just inside it the position is safe;
 * - at the bankruptcy price equity is exactly zero;
 * - an order's §1.2 cost never decreases when its quantity grows, or when leverage falls.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BTCUSDT, ETHUSDT } from '../instrument/catalog.js';
import { bracketFor, compileInstrument } from '../instrument/instrument.js';
import { RATE_ONE } from '../instrument/units.js';
import { bankruptcyPrice, liquidationPrice, maintenanceMarginForNotional, orderCostE8, scanLiquidation } from './margin.js';

const instruments = [compileInstrument(BTCUSDT), compileInstrument(ETHUSDT)];

describe('margin properties', () => {
  it('maintenance margin is monotone in notional', () => {
    fc.assert(fc.property(fc.constantFrom(...instruments), fc.bigInt(1n, 10n ** 18n), fc.bigInt(0n, 10n ** 16n),
      (instrument, notional, increase) => {
        expect(maintenanceMarginForNotional(instrument, notional + increase))
          .toBeGreaterThanOrEqual(maintenanceMarginForNotional(instrument, notional));
      }), { numRuns: 2000 });
  });

  it('the liquidation price walk from the entry bracket equals the scan from the lowest bracket', () => {
    // Backing from deep negative (a loss elsewhere) to far beyond the notional, sizes across every
    // bracket, and costs off the entry price (a position built at several prices).
    fc.assert(fc.property(
      fc.constantFrom(...instruments), fc.integer({ min: 1, max: 50_000_000 }), fc.boolean(),
      fc.integer({ min: 1, max: 4_000_000 }), fc.oneof(fc.bigInt(-(10n ** 19n), 10n ** 20n), fc.integer({ min: -2_000, max: 3_000 })),
      (instrument, lots, isLong, entryTicks, backingSpec) => {
        const k = instrument.quotePerTickLotE8;
        const size = isLong ? lots : -lots;
        const cost = BigInt(size) * BigInt(entryTicks) * k;
        // Either any amount, or a share of the entry notional (-200% … +300%, in 0.1% steps).
        const backing = typeof backingSpec === 'bigint' ? backingSpec : (BigInt(lots) * BigInt(entryTicks) * k * BigInt(backingSpec)) / 1000n;
        const s = BigInt(size);
        expect(liquidationPrice(instrument, size, cost, backing))
          .toEqual(scanLiquidation(instrument, s, s < 0n ? -s : s, k, cost, backing));
      }), { numRuns: 20_000 });
  });

  it('a liquidation price exactly on a bracket boundary is the lower bracket\'s solution, as the scan gives it', () => {
    let checked = 0;
    for (const instrument of instruments) {
      const k = instrument.quotePerTickLotE8;
      for (const bracket of instrument.brackets.slice(0, -1)) {
        const q = bracket.capE8 / k; // |s| × p at the boundary
        if (q * k !== bracket.capE8) continue;
        for (const absLots of [1n, 10n, 100n, 1000n]) {
          if (q % absLots !== 0n) continue;
          const priceTicks = q / absLots;
          for (const isLong of [true, false]) {
            const s = isLong ? absLots : -absLots;
            const entryTicks = isLong ? priceTicks + priceTicks / 10n + 1n : priceTicks - priceTicks / 10n - 1n;
            const cost = s * entryTicks * k;
            // W + UPnL(p) = MM(p) at the boundary price p.
            const backing = maintenanceMarginForNotional(instrument, bracket.capE8) - (s * priceTicks * k - cost);
            const price = liquidationPrice(instrument, Number(s), cost, backing);
            expect(price).toEqual(scanLiquidation(instrument, s, absLots, k, cost, backing));
            expect(price!.num).toBe(priceTicks * price!.den);
            checked++;
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(20);
  });

  it('equity equals maintenance margin exactly at the liquidation price', () => {
    fc.assert(fc.property(
      fc.constantFrom(...instruments), fc.integer({ min: 1, max: 5_000_000 }), fc.boolean(),
      fc.integer({ min: 10_000, max: 2_000_000 }), fc.integer({ min: 1, max: 125 }),
      (instrument, lots, isLong, entryTicks, leverage) => {
        const k = instrument.quotePerTickLotE8;
        const size = isLong ? lots : -lots;
        const cost = BigInt(size) * BigInt(entryTicks) * k;
        const notional = BigInt(lots) * BigInt(entryTicks) * k;
        const backing = notional / BigInt(leverage);
        const price = liquidationPrice(instrument, size, cost, backing);
        if (price === undefined) {
          // Only a long can be safe at every price: its backing covers the whole entry notional.
          expect(isLong).toBe(true);
          return;
        }
        // equity(p) = backing + size·k·p − cost; MM(p) = |size|·k·p·MMR − cum, all × den × RATE_ONE.
        const scaledNotional = BigInt(lots) * k * price.num;
        const bracket = bracketFor(instrument, scaledNotional / price.den);
        const equity = (backing - cost) * price.den * RATE_ONE + BigInt(size) * k * price.num * RATE_ONE;
        const maintenance = scaledNotional * bracket.mmrE8 - bracket.cumE8 * price.den * RATE_ONE;
        // The price may sit exactly on a bracket boundary, where both brackets give the same MM.
        const lower = instrument.brackets[bracket.bracket - 2];
        const alternative = lower === undefined ? maintenance
          : scaledNotional * lower.mmrE8 - lower.cumE8 * price.den * RATE_ONE;
        expect(equity === maintenance || equity === alternative).toBe(true);
      }), { numRuns: 3000 });
  });

  it('equity is exactly zero at the bankruptcy price', () => {
    fc.assert(fc.property(
      fc.constantFrom(...instruments), fc.integer({ min: -5_000_000, max: 5_000_000 }).filter((s) => s !== 0),
      fc.integer({ min: 10_000, max: 2_000_000 }), fc.bigInt(0n, 10n ** 15n),
      (instrument, size, entryTicks, backing) => {
        const k = instrument.quotePerTickLotE8;
        const cost = BigInt(size) * BigInt(entryTicks) * k;
        const price = bankruptcyPrice(instrument, size, cost, backing);
        if (price === undefined) return;
        expect((backing - cost) * price.den + BigInt(size) * k * price.num).toBe(0n);
      }), { numRuns: 3000 });
  });

  it('cost grows with quantity and with lower leverage', () => {
    fc.assert(fc.property(
      fc.constantFrom(...instruments), fc.boolean(), fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 1, max: 100_000 }),
      fc.integer({ min: 100_000, max: 1_000_000 }), fc.integer({ min: -5_000, max: 5_000 }), fc.integer({ min: 2, max: 125 }),
      (instrument, isBuy, qty, extra, markTicks, offset, leverage) => {
        const priceTicks = markTicks + offset;
        const cost = (lots: number, lev: number): bigint => orderCostE8({
          instrument, isBuy, qtyLots: lots, orderNotionalE8: BigInt(priceTicks) * BigInt(lots) * instrument.quotePerTickLotE8,
          markTicks, lastTicks: markTicks, leverage: lev,
        });
        expect(cost(qty + extra, leverage)).toBeGreaterThanOrEqual(cost(qty, leverage));
        expect(cost(qty, leverage - 1)).toBeGreaterThanOrEqual(cost(qty, leverage));
      }), { numRuns: 2000 });
  });
});
