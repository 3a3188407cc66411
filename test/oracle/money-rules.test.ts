/**
 * The money rules of issue 13 §1 (/work/notes/money-rules.md, R1–R9), scenario by scenario with
 * hand-computed figures: the real engine's events and views, compared with the reference engine
 * on every command.
 */
import { describe, expect, it } from 'vitest';
import { createOrderBook } from '../../src/core/book/index.js';
import type { Command, PlaceOrderCommand, UnsequencedCommand } from '../../src/core/engine/commands.js';
import { Engine } from '../../src/core/engine/engine.js';
import type { EngineEvent } from '../../src/core/engine/events.js';
import { BTCUSDT } from '../../src/core/instrument/catalog.js';
import { compileInstrument, type InstrumentSpec } from '../../src/core/instrument/instrument.js';
import { firstDifference } from './compare.js';
import { liquidationPrice } from './reference/formulas.js';
import { ReferenceEngine } from './reference/reference-engine.js';

const E8 = 100_000_000n;
const usd = (whole: number): bigint => BigInt(whole) * E8;
const T0 = Date.UTC(2021, 4, 19, 6, 0, 0);
/** BTCUSDT without interest (an empty book keeps mark = index) and, unless asked, without fees. */
const btc = (overrides: Partial<InstrumentSpec> = {}): InstrumentSpec =>
  ({ ...BTCUSDT, makerFeeRate: '0', takerFeeRate: '0', funding: { ...BTCUSDT.funding, interestRate: '0' }, ...overrides });

/** The engine and the reference, driven by the same commands. */
class Bench {
  readonly engine: Engine;
  readonly reference: ReferenceEngine;
  private seq = 0;
  nowMs = T0;

  constructor(specs: InstrumentSpec[]) {
    this.engine = new Engine({ instruments: specs, bookFactory: createOrderBook });
    this.reference = new ReferenceEngine({ instruments: specs });
  }

  /** Applies a command to both; the engine must agree with the reference. Returns the engine's events. */
  run(command: UnsequencedCommand, afterMs = 0): EngineEvent[] {
    this.nowMs += afterMs;
    const sequenced = { ...command, seq: ++this.seq, atMs: this.nowMs } as Command;
    const events = this.engine.apply(sequenced);
    expect(firstDifference(events, this.reference.apply(sequenced), `seq ${this.seq}`)).toBeUndefined();
    return events;
  }

  order(accountId: number, side: 'BUY' | 'SELL', orderType: 'LIMIT' | 'MARKET', qtyLots: number, priceTicks = 0,
    extra: Partial<PlaceOrderCommand> = {}): EngineEvent[] {
    return this.run({
      type: 'PlaceOrder', accountId, symbol: 'BTCUSDT', side, orderType, timeInForce: 'GTC', qtyLots, priceTicks,
      stopPriceTicks: 0, activationPriceTicks: 0, callbackRateBps: 0, reduceOnly: false, closePosition: false,
      workingType: 'CONTRACT_PRICE', priceProtect: false, stpMode: 'NONE', clientOrderId: '', ...extra,
    });
  }

  account(deposit: bigint): number {
    const created = this.run({ type: 'CreateAccount', parentAccountId: 0 })[0];
    if (created?.type !== 'AccountCreated') throw new Error('no account');
    this.run({ type: 'Deposit', accountId: created.accountId, amountE8: deposit });
    return created.accountId;
  }

  /** Index to `ticks`, then a few mark samples (an empty book lets the mark follow the index). */
  index(ticks: number): void {
    this.run({ type: 'SetIndexPrice', symbol: 'BTCUSDT', priceTicks: ticks });
    this.run({ type: 'Tick' }, 2_000);
  }

  /** A maker with deep pockets and a trader holding an isolated 20x long of 1 BTC at 60,000 (wallet 3,000). */
  isolatedBtcLong(traderDeposit = usd(10_000)): { maker: number; trader: number } {
    const maker = this.account(usd(10_000_000));
    const trader = this.account(traderDeposit);
    this.index(600_000);
    this.isolatedLong(maker, trader, 1_000, 600_000);
    return { maker, trader };
  }

  /** An isolated 20x long of `lots` from `maker` at `priceTicks`. */
  isolatedLong(maker: number, trader: number, lots: number, priceTicks: number): void {
    this.run({ type: 'SetMarginType', accountId: trader, symbol: 'BTCUSDT', marginType: 'ISOLATED' });
    this.order(maker, 'SELL', 'LIMIT', lots, priceTicks);
    this.order(trader, 'BUY', 'MARKET', lots);
  }
}

const of = <T extends EngineEvent['type']>(events: readonly EngineEvent[], type: T): Extract<EngineEvent, { type: T }>[] =>
  events.filter((event): event is Extract<EngineEvent, { type: T }> => event.type === type);

describe('R1: an isolated reduce keeps the margin per lot of what remains', () => {
  it('releases floor(W·c/|s|) + R and leaves the rest unliquidated (issue 13 reproduction)', () => {
    const bench = new Bench([btc()]);
    const { maker, trader } = bench.isolatedBtcLong();
    expect(bench.engine.accountView(trader)!.positions[0]!.isolatedWalletE8).toBe(usd(3_000));
    bench.index(580_000);
    bench.order(maker, 'BUY', 'LIMIT', 500, 580_000);
    bench.order(maker, 'BUY', 'LIMIT', 1_000, 570_000);
    const events = bench.order(trader, 'SELL', 'LIMIT', 500, 580_000, { reduceOnly: true });
    // R = 0.5 × (58,000 − 60,000) = −1,000; T = 3,000 × 0.5 − 1,000 = 500 back to cross.
    const isolated = of(events, 'BalanceChanged').filter((event) => event.accountId === trader && event.isolatedSymbol !== '');
    expect(isolated.map((event) => [event.reason, event.deltaE8])).toEqual([['REALIZED_PNL', -usd(1_000)], ['ISOLATED_MARGIN', -usd(500)]]);
    expect(of(events, 'Liquidation')).toEqual([]);
    // The remaining 0.5 BTC keeps 1,500 (3,000 × 0.5): equity 500 at mark 58,000, above its maintenance of 116.
    const position = bench.engine.accountView(trader)!.positions[0]!;
    expect([position.sizeLots, position.isolatedWalletE8, position.maintenanceMarginE8]).toEqual([500, usd(1_500), usd(116)]);
  });
});

describe('R2: an own close is capped where the backing still pays the fee', () => {
  it('does not sell below (C − B + 3|s|) / (|s|·k·(1 − r))', () => {
    const bench = new Bench([btc({ makerFeeRate: '0.0002', takerFeeRate: '0.0005' })]);
    // 3,000 of isolated margin plus the 30 opening fee: nothing else in cross.
    const { maker, trader } = bench.isolatedBtcLong(usd(3_030));
    bench.index(575_000);
    bench.order(maker, 'BUY', 'LIMIT', 1_000, 570_000);
    // Old cap: the bankruptcy price 57,000 exactly, then the 28.5 fee takes the cross wallet to −28.5.
    // New cap: (60,000 − 3,000 + 0.00003) / 0.9995 = 57,028.514… → 57,028.6; the bid at 57,000 is not taken.
    const refused = bench.order(trader, 'SELL', 'MARKET', 1_000, 0, { reduceOnly: true });
    expect(of(refused, 'Trade')).toEqual([]);
    const resting = bench.order(trader, 'SELL', 'LIMIT', 1_000, 560_000, { reduceOnly: true });
    expect(of(resting, 'OrderUpdate')[0]!.order.priceTicks).toBe(570_286);
    bench.order(maker, 'BUY', 'LIMIT', 1_000, 571_000);
    const view = bench.engine.accountView(trader)!;
    // Sold at 57,028.6 as the maker: isolated wallet 3,000 − 2,971.4 = 28.6 back to an empty cross wallet,
    // fee 57,028.6 × 0.0002 = 11.40572.
    expect(view.positions[0]!.sizeLots).toBe(0);
    expect(view.crossWalletE8).toBe(2_860_000_000n - 1_140_572_000n);
    expect(view.crossWalletE8 >= 0n).toBe(true);
  });
});

describe('R3: a liquidation never fills beyond bankruptcy unless the fund or better fills pay for it', () => {
  it('with an empty fund, takes the better level, pays the worse one from its surplus, and deleverages the rest', () => {
    const bench = new Bench([btc({ liquidationFeeRate: '0.0125' })]);
    const maker = bench.account(usd(10_000_000));
    const trader = bench.account(usd(11_000));
    bench.index(600_100);
    // Isolated 20x long 0.5 BTC at 60,010: wallet 1,500.25, bankruptcy 57,009.5.
    bench.isolatedLong(maker, trader, 500, 600_100);
    bench.order(maker, 'BUY', 'LIMIT', 100, 570_200);
    bench.order(maker, 'BUY', 'LIMIT', 200, 570_000);
    const crossBefore = bench.engine.accountView(trader)!.crossWalletE8;
    bench.run({ type: 'SetIndexPrice', symbol: 'BTCUSDT', priceTicks: 570_500 });
    const events = bench.run({ type: 'Tick' }, 2_000);
    const [liquidation] = of(events, 'Liquidation');
    // 57,020 is above bankruptcy: +10.5 per BTC × 0.1 = 1.05 of surplus; 57,000 costs 9.5 per BTC: 110 lots.
    expect(liquidation!.bookFilledLots).toBe(210);
    expect(of(events, 'OrderUpdate').find((event) => event.order.origin === 'LIQUIDATION')!.order.priceTicks).toBe(570_000);
    expect(liquidation!.adl.map((fill) => fill.qtyLots)).toEqual([290]);
    expect(of(events, 'InsuranceFundChanged').map((event) => event.reason)).toEqual(['LIQUIDATION_FEE']);
    // The cross wallet gets back what is left of the isolated wallet, and pays nothing.
    const crossDeltas = of(events, 'BalanceChanged').filter((event) => event.accountId === trader && event.isolatedSymbol === '');
    expect(crossDeltas.every((event) => event.reason === 'ISOLATED_MARGIN' && event.deltaE8 >= 0n)).toBe(true);
    expect(bench.engine.accountView(trader)!.crossWalletE8 >= crossBefore).toBe(true);
  });
});

describe('R3: an account liquidated into an empty fund ends at zero, not below', () => {
  it('a stale ask filled 15% below the mark: the short goes to ADL at its bankruptcy price', () => {
    const bench = new Bench([btc()]);
    const maker = bench.account(usd(10_000_000));
    const trader = bench.account(usd(100));
    bench.run({ type: 'SetIndexPrice', symbol: 'BTCUSDT', priceTicks: 600_000 });
    bench.order(trader, 'SELL', 'LIMIT', 20, 600_000);
    bench.index(690_000);
    bench.order(maker, 'SELL', 'LIMIT', 1_000, 690_000);
    const events = bench.order(maker, 'BUY', 'MARKET', 20);
    const [liquidation] = of(events, 'Liquidation');
    // Bankruptcy (100 + 1,200) / 0.02 = 65,000: the ask at 69,000 is beyond it and the fund is empty.
    expect([liquidation!.bookFilledLots, liquidation!.adl.map((fill) => [fill.qtyLots, fill.priceTicks])]).toEqual([0, [[20, 650_000]]]);
    expect(bench.engine.accountView(trader)!.crossWalletE8).toBe(0n);
  });
});

describe('R4: funding does not depend on how often commands arrive', () => {
  const premiumBook = (bench: Bench): void => {
    const maker = bench.account(usd(10_000_000));
    bench.run({ type: 'SetIndexPrice', symbol: 'BTCUSDT', priceTicks: 600_000 });
    // Bids 100 above the index for the whole impact notional: premium 100 / 60,000 on every sample.
    bench.order(maker, 'BUY', 'LIMIT', 1_000, 601_000);
    bench.order(maker, 'SELL', 'LIMIT', 1_000, 602_000);
  };
  const fundingRates = (events: readonly EngineEvent[]): bigint[] => of(events, 'FundingSettled').map((event) => event.rateE8);

  it('a quiet gap over a funding instant settles the same rate as a tick every second', () => {
    // 06:00 to 10:00 in one step: the catch-up window (the last hour) starts after the 08:00 settlement.
    const quiet = new Bench([btc({ funding: { ...BTCUSDT.funding } })]);
    premiumBook(quiet);
    const gapRates = fundingRates(quiet.run({ type: 'Tick' }, 4 * 3_600_000));
    const dense = new Bench([btc({ funding: { ...BTCUSDT.funding } })]);
    premiumBook(dense);
    const denseRates: bigint[] = [];
    for (let second = 0; second < 4 * 3_600; second++) denseRates.push(...fundingRates(dense.run({ type: 'Tick' }, 1_000)));
    expect(gapRates).toHaveLength(1);
    expect(gapRates).toEqual(denseRates);
    // P = 1,000 / 600,000 ticks ≈ 0.16667%; F = P + clamp(0.01% − P, ±0.05%) = P − 0.05%, truncated to 1e-8.
    expect(gapRates[0]).toBe(116_666n);
  });
});

describe('R5: a reduce-only LIMIT larger than the position is clipped to it', () => {
  it('accepts and rests the reducible quantity', () => {
    const bench = new Bench([btc()]);
    const maker = bench.account(usd(10_000_000));
    const trader = bench.account(usd(10_000));
    bench.index(600_000);
    bench.order(maker, 'SELL', 'LIMIT', 100, 600_000);
    bench.order(trader, 'BUY', 'MARKET', 100);
    const events = bench.order(trader, 'SELL', 'LIMIT', 250, 610_000, { reduceOnly: true });
    expect(of(events, 'Rejected')).toEqual([]);
    expect(of(events, 'OrderUpdate')[0]!.order.origQtyLots).toBe(100);
  });
});

describe('R6: isolated margin removal up to Binance\'s max removable', () => {
  it('allows max(0, min(iw − MM, iw + UPnL − IM)) in profit, not a unit more', () => {
    const bench = new Bench([btc()]);
    const { trader } = bench.isolatedBtcLong();
    bench.index(620_000);
    // iw 3,000, UPnL 2,000, IM 62,000 / 20 = 3,100, MM 62,000 × 0.5% − 50 = 260: min(2,740, 1,900) = 1,900.
    const tooMuch = bench.run({ type: 'AdjustIsolatedMargin', accountId: trader, symbol: 'BTCUSDT', amountE8: -usd(1_900) - 1n });
    expect(of(tooMuch, 'Rejected').map((event) => event.code)).toEqual([-4051]);
    const allowed = bench.run({ type: 'AdjustIsolatedMargin', accountId: trader, symbol: 'BTCUSDT', amountE8: -usd(1_900) });
    expect(of(allowed, 'Rejected')).toEqual([]);
    expect(bench.engine.accountView(trader)!.positions[0]!.isolatedWalletE8).toBe(usd(1_100));
  });
});

describe('R7: the preview says affordable exactly when the order passes the margin check', () => {
  it('counts the taker-fee reserve', () => {
    const bench = new Bench([btc({ takerFeeRate: '0.0005' })]);
    // A 1 BTC buy at 60,000 and 20x costs 3,000 plus a 30 fee reserve; 3,010 is not enough.
    const trader = bench.account(usd(3_010));
    bench.index(600_000);
    const input = { accountId: trader, symbol: 'BTCUSDT', side: 'BUY' as const, qtyLots: 1_000, priceTicks: 600_000 };
    expect(bench.reference.previewAffordable(input)).toBe(false);
    expect(bench.engine.previewOrder(input)?.affordable).toBe(false);
    expect(of(bench.order(trader, 'BUY', 'LIMIT', 1_000, 600_000), 'Rejected').map((event) => event.code)).toEqual([-2019]);
    bench.run({ type: 'Deposit', accountId: trader, amountE8: usd(20) });
    expect(bench.reference.previewAffordable(input)).toBe(true);
    expect(bench.engine.previewOrder(input)?.affordable).toBe(true);
    expect(of(bench.order(trader, 'BUY', 'LIMIT', 1_000, 600_000), 'Rejected')).toEqual([]);
  });
});

describe('R8: a liquidation price lies in the bracket that solved it', () => {
  // Two brackets; k = 1e8 (tick 1, lot 1), so notional = price × lots USDT.
  const instrument = compileInstrument({
    ...btc(), partialLiquidationFromBracket: 0, tickSize: '1', stepSize: '1', minPrice: '1', maxPrice: '1000000', minQty: '1', maxQty: '1000', marketMaxQty: '1000',
    brackets: [
      { notionalFloor: '0', notionalCap: '1000', maxLeverage: 100, maintMarginRatio: '0.01', cum: '0' },
      { notionalFloor: '1000', notionalCap: '2000', maxLeverage: 20, maintMarginRatio: '0.05', cum: '40' },
    ],
  });

  it('the top bracket extends to infinity', () => {
    // Long 10 at 10,000 (notional 100,000, beyond the last cap) backed by 10,000:
    // p = (100,000 − 40 − 10,000) / (10 × 0.95) = 9,469.47…, notional 94,694 in the top bracket.
    const price = liquidationPrice(instrument, 10, usd(100_000), usd(10_000))!;
    // (The old rule answered the first bracket's inconsistent root, 90,000 / 9.9 = 9,090.9….)
    expect(price.num * 100n / price.den).toBe(946_947n);
  });

  it('is undefined for a short under water at every price', () => {
    // Short 10 at 100 (cost −1,000) with backing −1,010: W + |C| < 0 at any price.
    expect(liquidationPrice(instrument, -10, -usd(1_000), -usd(1_010))).toBeUndefined();
  });
});

describe('R9: an isolated opening brings its open loss into the isolated wallet', () => {
  it('a 20x long bought 1% above the mark starts with IM + open loss, not below its maintenance', () => {
    const bench = new Bench([btc()]);
    const maker = bench.account(usd(10_000_000));
    const trader = bench.account(usd(10_000));
    bench.index(600_000);
    bench.run({ type: 'SetMarginType', accountId: trader, symbol: 'BTCUSDT', marginType: 'ISOLATED' });
    bench.order(maker, 'SELL', 'LIMIT', 1_000, 606_000);
    bench.order(trader, 'BUY', 'MARKET', 1_000);
    // IM 60,600 / 20 = 3,030 and open loss (60,600 − 60,000) × 1 = 600: 3,630 leaves the cross wallet.
    const view = bench.engine.accountView(trader)!;
    expect([view.positions[0]!.isolatedWalletE8, view.crossWalletE8]).toEqual([usd(3_630), usd(10_000 - 3_630)]);
  });
});

describe('R9: the open loss comes only from what the cross wallet holds after the IM', () => {
  it('a resting isolated bid filled after the mark fell brings IM + what is left, and the cross wallet ends at zero', () => {
    const bench = new Bench([btc()]);
    const maker = bench.account(usd(10_000_000));
    const trader = bench.account(usd(3_100));
    bench.index(600_000);
    bench.run({ type: 'SetMarginType', accountId: trader, symbol: 'BTCUSDT', marginType: 'ISOLATED' });
    // Checked at mark 60,000: IM 3,000, no open loss; 3,100 is enough.
    expect(of(bench.order(trader, 'BUY', 'LIMIT', 1_000, 600_000), 'Rejected')).toEqual([]);
    bench.index(580_000);
    bench.order(maker, 'SELL', 'LIMIT', 1_000, 600_000);
    // At mark 58,000 the open loss is 2,000, but only 3,100 − 3,000 = 100 is left in cross.
    const view = bench.engine.accountView(trader)!;
    expect([view.positions[0]!.sizeLots, view.positions[0]!.isolatedWalletE8, view.crossWalletE8]).toEqual([1_000, usd(3_100), 0n]);
  });
});

describe('R2: the cap holds for a short too', () => {
  it('does not buy above (B − C − 3|s|) / (|s|·k·(1 + r))', () => {
    const bench = new Bench([btc({ makerFeeRate: '0.0002', takerFeeRate: '0.0005' })]);
    const maker = bench.account(usd(10_000_000));
    // The isolated wallet is 3,000 (IM at 20x); the rest of the deposit stays in cross, which an
    // isolated position's cap does not count.
    const trader = bench.account(usd(4_000));
    bench.index(600_000);
    bench.run({ type: 'SetMarginType', accountId: trader, symbol: 'BTCUSDT', marginType: 'ISOLATED' });
    bench.order(maker, 'BUY', 'LIMIT', 1_000, 600_000);
    bench.order(trader, 'SELL', 'MARKET', 1_000);
    bench.index(625_000);
    bench.order(maker, 'SELL', 'LIMIT', 1_000, 630_000);
    // Ceiling (3,000 + 60,000 − 0.00003) / 1.0005 = 62,968.515… → 62,968.5; the ask at 63,000 is not taken.
    expect(of(bench.order(trader, 'BUY', 'MARKET', 1_000, 0, { reduceOnly: true }), 'Trade')).toEqual([]);
    const resting = bench.order(trader, 'BUY', 'LIMIT', 1_000, 640_000, { reduceOnly: true });
    expect(of(resting, 'OrderUpdate')[0]!.order.priceTicks).toBe(629_685);
  });
});
