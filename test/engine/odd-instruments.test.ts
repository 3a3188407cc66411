/**
 * No user command may reach an assertion: compileInstrument refuses specs whose ranges could pass
 * 2^53 in the engine's number fields, and every spec it accepts survives random commands at the
 * extremes of its ranges (largest orders at the highest price, zero-balance accounts, prices at
 * the band edges, clock jumps across funding, time going backwards) with the auditor clean.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AssertionFailure } from '../../src/core/assert.js';
import type { UnsequencedCommand } from '../../src/core/engine/commands.js';
import { BTCUSDT } from '../../src/core/instrument/catalog.js';
import { compileInstrument, type BracketSpec, type InstrumentSpec } from '../../src/core/instrument/instrument.js';
import { Harness, usd } from '../support/engine-harness.js';

/** 10^-exp as a decimal string. */
function unit(exp: number): string {
  return exp === 0 ? '1' : `0.${'0'.repeat(exp - 1)}1`;
}

/** A decimal string of `count` units of 10^-exp. */
function units(count: bigint, exp: number): string {
  if (exp === 0) return count.toString();
  const text = count.toString().padStart(exp + 1, '0');
  return `${text.slice(0, -exp)}.${text.slice(-exp)}`;
}

interface OddShape {
  tickExp: number;
  stepExp: number;
  minPriceTicks: number;
  maxPriceTicks: number;
  maxQtyLots: number;
  brackets: number;
  capUsdt: number;
}

function specOf(shape: OddShape): InstrumentSpec {
  const brackets: BracketSpec[] = [];
  const mmrs = ['0.01', '0.02', '0.05'];
  const leverages = [50, 20, 10];
  let cum = 0n;
  for (let i = 0; i < shape.brackets; i++) {
    const floor = i === 0 ? 0n : BigInt(shape.capUsdt) * BigInt(10 ** (i - 1));
    const cap = BigInt(shape.capUsdt) * BigInt(10 ** i);
    if (i > 0) cum += floor * (BigInt(Math.round(Number(mmrs[i]) * 100)) - BigInt(Math.round(Number(mmrs[i - 1]) * 100))) / 100n;
    brackets.push({ notionalFloor: floor.toString(), notionalCap: cap.toString(), maxLeverage: leverages[i]!,
      maintMarginRatio: mmrs[i]!, cum: cum.toString() });
  }
  return {
    ...BTCUSDT, symbol: 'ODDUSDT', tickSize: unit(shape.tickExp), stepSize: unit(shape.stepExp),
    minPrice: units(BigInt(shape.minPriceTicks), shape.tickExp), maxPrice: units(BigInt(shape.maxPriceTicks), shape.tickExp),
    minQty: unit(shape.stepExp), maxQty: units(BigInt(shape.maxQtyLots), shape.stepExp),
    marketMaxQty: units(BigInt(shape.maxQtyLots), shape.stepExp), minNotional: '0', defaultLeverage: 10,
    brackets, partialLiquidationFromBracket: shape.brackets > 1 ? 2 : 0,
  };
}

const shapes = fc.record({
  tickExp: fc.integer({ min: 0, max: 4 }),
  stepExp: fc.integer({ min: 0, max: 4 }),
  minPriceTicks: fc.integer({ min: 1, max: 100 }),
  maxPriceTicks: fc.integer({ min: 1_000, max: 2 ** 31 - 1 }),
  maxQtyLots: fc.oneof(fc.integer({ min: 1, max: 1_000 }), fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER })),
  brackets: fc.integer({ min: 1, max: 3 }),
  capUsdt: fc.oneof(fc.integer({ min: 1_000, max: 1_000_000 }), fc.integer({ min: 1, max: 2 ** 40 })),
});

function compiles(spec: InstrumentSpec): boolean {
  try {
    compileInstrument(spec);
    return true;
  } catch (error) {
    if (error instanceof AssertionFailure) return false;
    throw error;
  }
}

type Step = readonly [kind: number, a: number, b: number, c: number];

function command(h: Harness, shape: OddShape, accounts: readonly number[], [kind, a, b, c]: Step): UnsequencedCommand {
  const accountId = accounts[a % accounts.length]!;
  const side = b % 2 === 0 ? 'BUY' as const : 'SELL' as const;
  const market = h.engine.market('ODDUSDT');
  // Quantities and prices at the extremes half of the time, near the mark otherwise.
  const qtyLots = [1, shape.maxQtyLots, 1 + (c % shape.maxQtyLots)][b % 3]!;
  const edges = [shape.minPriceTicks, shape.maxPriceTicks, Math.max(shape.minPriceTicks,
    Math.min(shape.maxPriceTicks, market.markTicks + (c % 21) - 10))];
  const priceTicks = edges[c % 3]!;
  const order = { type: 'PlaceOrder' as const, accountId, symbol: 'ODDUSDT', side, stopPriceTicks: 0, activationPriceTicks: 0,
    callbackRateBps: 0, reduceOnly: c % 7 === 0, closePosition: false, workingType: 'MARK_PRICE' as const,
    priceProtect: false, stpMode: 'NONE' as const, clientOrderId: '' };
  switch (kind % 9) {
    case 0: case 1:
      return { ...order, orderType: 'LIMIT', timeInForce: (['GTC', 'IOC', 'FOK', 'GTX'] as const)[c % 4]!, qtyLots, priceTicks };
    case 2:
      return { ...order, orderType: 'MARKET', timeInForce: 'GTC', qtyLots, priceTicks: 0 };
    case 3:
      return { ...order, orderType: 'STOP_MARKET', timeInForce: 'GTC', qtyLots, priceTicks: 0, stopPriceTicks: priceTicks };
    case 4:
      return { type: 'SetIndexPrice', symbol: 'ODDUSDT', priceTicks };
    case 5:
      return { type: 'SetLeverage', accountId, symbol: 'ODDUSDT', leverage: [1, 10, 50, 125][c % 4]! };
    case 6:
      return c % 2 === 0
        ? { type: 'SetMarginType', accountId, symbol: 'ODDUSDT', marginType: c % 4 === 0 ? 'ISOLATED' : 'CROSSED' }
        : { type: 'AdjustIsolatedMargin', accountId, symbol: 'ODDUSDT', amountE8: BigInt(c) * 10n ** BigInt(b % 20) - 7n };
    case 7:
      return { type: 'CancelAllOrders', accountId, symbol: 'ODDUSDT', scope: 'ALL' };
    default:
      return { type: 'Withdraw', accountId, amountE8: BigInt(c % 1000) * 10n ** BigInt(b % 18) + 1n };
  }
}

describe('odd instruments', () => {
  it('compileInstrument refuses ranges whose lot counts could pass 2^53', () => {
    // 2^50 lots per order, 10,000 orders a side: the margin check's worst case passes 2^53.
    expect(compiles(specOf({ tickExp: 1, stepExp: 3, minPriceTicks: 1, maxPriceTicks: 2 ** 31 - 1, maxQtyLots: 2 ** 50,
      brackets: 1, capUsdt: 1_000 }))).toBe(false);
    // A last bracket cap of 2^40 USDT at a 0.0001 minimum price is 10^20 lots of 0.0001.
    expect(compiles(specOf({ tickExp: 4, stepExp: 4, minPriceTicks: 1, maxPriceTicks: 1_000_000, maxQtyLots: 1_000,
      brackets: 1, capUsdt: 2 ** 40 }))).toBe(false);
    // Large orders at large prices are fine: notionals are exact at any size.
    expect(compiles(specOf({ tickExp: 2, stepExp: 5, minPriceTicks: 1, maxPriceTicks: 452_976_400, maxQtyLots: 100_000_000,
      brackets: 2, capUsdt: 1_000_000 }))).toBe(true);
  });

  it('a market order larger than 2^53 ticks × lots is priced exactly', () => {
    const spec = { ...specOf({ tickExp: 2, stepExp: 5, minPriceTicks: 1, maxPriceTicks: 452_976_400, maxQtyLots: 100_000_000,
      brackets: 2, capUsdt: 1_000_000_000 }), minPrice: '1000' };
    const h = new Harness([spec]);
    const whale = h.createAccount('100000000000');
    const empty = h.createAccount('0');
    h.run({ type: 'SetIndexPrice', symbol: 'ODDUSDT', priceTicks: 400_000_000 });
    const base = { type: 'PlaceOrder' as const, symbol: 'ODDUSDT', timeInForce: 'GTC' as const, stopPriceTicks: 0,
      activationPriceTicks: 0, callbackRateBps: 0, reduceOnly: false, closePosition: false, workingType: 'MARK_PRICE' as const,
      priceProtect: false, stpMode: 'NONE' as const, clientOrderId: '' };
    // 900 BTC-like units at 4,000,000.01: 9e7 lots × 400,000,001 ticks = 3.6e16 tick·lots > 2^53.
    h.run({ ...base, accountId: whale, side: 'SELL', orderType: 'LIMIT', qtyLots: 90_000_000, priceTicks: 400_000_001 });
    const preview = h.engine.previewOrder({ accountId: empty, symbol: 'ODDUSDT', side: 'BUY', qtyLots: 90_000_000, priceTicks: 0 })!;
    expect(preview.fillNotionalE8).toBe(90_000_000n * 400_000_001n * 10n);
    const events = h.run({ ...base, accountId: empty, side: 'BUY', orderType: 'MARKET', qtyLots: 90_000_000, priceTicks: 0 });
    expect(events.filter((event) => event.type === 'Rejected').map((event) => event.type === 'Rejected' && event.code))
      .toEqual([-2019]);
    expect(h.engine.checkInvariants()).toEqual([]);
  });

  it('every accepted spec survives random extreme commands without an assertion, the auditor clean', () => {
    fc.assert(fc.property(
      shapes.filter((shape) => shape.tickExp + shape.stepExp <= 8 && compiles(specOf(shape))),
      fc.array(fc.tuple(fc.nat(), fc.nat(), fc.nat(), fc.nat()), { minLength: 5, maxLength: 60 }),
      (shape, steps) => {
        const h = new Harness([specOf(shape)]);
        const accounts = [h.createAccount('0'), h.createAccount('1000000'), h.createAccount('0.00000001'),
          h.createAccount('1000000000000')];
        h.run({ type: 'FundInsurance', amountE8: usd('1000') });
        const midTicks = Math.max(shape.minPriceTicks, shape.maxPriceTicks >> 1);
        h.run({ type: 'SetIndexPrice', symbol: 'ODDUSDT', priceTicks: midTicks });
        // The whale offers the largest order at the mark, and the empty account sweeps it.
        const largest = { type: 'PlaceOrder' as const, symbol: 'ODDUSDT', timeInForce: 'GTC' as const,
          qtyLots: shape.maxQtyLots, stopPriceTicks: 0, activationPriceTicks: 0, callbackRateBps: 0, reduceOnly: false,
          closePosition: false, workingType: 'MARK_PRICE' as const, priceProtect: false, stpMode: 'NONE' as const, clientOrderId: '' };
        h.run({ ...largest, accountId: accounts[3]!, side: 'SELL', orderType: 'LIMIT', priceTicks: midTicks });
        h.run({ ...largest, accountId: accounts[0]!, side: 'BUY', orderType: 'MARKET', priceTicks: 0 });
        for (const [index, step] of steps.entries()) {
          // Now and then the clock jumps across a funding boundary, or a command arrives late.
          const atMs = step[3] % 13 === 0 ? h.now + 9 * 3_600_000 : step[3] % 17 === 0 ? h.now - 1 : h.now + 1_000;
          h.run(command(h, shape, accounts, step), atMs < 0 ? 0 : atMs);
          const violations = h.engine.checkInvariants();
          if (violations.length > 0) throw new Error(`step ${index}: ${violations.join('; ')}`);
        }
      }), { numRuns: 60 });
  });
});
