/**
 * Liquidation, insurance fund and ADL, scenario by scenario, with hand-computed figures:
 * a deficit the fund pays; a fund too small, so the remainder is deleveraged against the
 * highest-ranked opposite position at the bankruptcy price; partial liquidation by bracket steps;
 * an isolated liquidation that leaves the cross wallet alone; and a cross account liquidated by
 * another symbol's mark. Interest is 0 and the maker quotes symmetrically, so mark = index.
 */
import { describe, expect, it } from 'vitest';
import { BTCUSDT, ETHUSDT } from '../../src/core/instrument/catalog.js';
import type { InstrumentSpec } from '../../src/core/instrument/instrument.js';
import { Harness, ofType, rejects, usd } from '../support/engine-harness.js';

const noInterest = (spec: InstrumentSpec, overrides: Partial<InstrumentSpec> = {}): InstrumentSpec =>
  ({ ...spec, funding: { ...spec.funding, interestRate: '0' }, ...overrides });

class Desk {
  readonly h: Harness;
  readonly maker: number;
  private quotes = new Map<string, number[]>();

  constructor(specs: InstrumentSpec[]) {
    this.h = new Harness(specs);
    this.maker = this.h.createAccount('100000000');
  }

  /** Index to `index` and symmetric maker quotes `halfSpread` away (mark = index after a minute). */
  quote(symbol: string, index: string, halfSpread: string, size = '50'): void {
    const h = this.h;
    for (const orderId of this.quotes.get(symbol) ?? []) {
      h.run({ type: 'CancelOrder', accountId: this.maker, symbol, orderId, clientOrderId: '' });
    }
    h.index(symbol, index);
    const mid = h.px(symbol, index);
    const half = h.px(symbol, halfSpread);
    const ids: number[] = [];
    for (const [side, ticks] of [['BUY', mid - half], ['SELL', mid + half]] as const) {
      const events = h.run({ type: 'PlaceOrder', accountId: this.maker, symbol, side, orderType: 'LIMIT', timeInForce: 'GTC',
        qtyLots: h.lots(symbol, size), priceTicks: ticks, stopPriceTicks: 0, activationPriceTicks: 0, callbackRateBps: 0,
        reduceOnly: false, closePosition: false, workingType: 'CONTRACT_PRICE', priceProtect: false, stpMode: 'NONE',
        clientOrderId: '' });
      const update = ofType(events, 'OrderUpdate').find((u) => u.execution === 'NEW');
      if (update !== undefined) ids.push(update.order.orderId);
    }
    this.quotes.set(symbol, ids);
  }

  settle(): void {
    this.h.advance(60_000);
  }
}

describe('insurance fund', () => {
  it('pays the deficit of fills beyond the bankruptcy price', () => {
    const desk = new Desk([noInterest(BTCUSDT)]);
    const { h } = desk;
    h.run({ type: 'FundInsurance', amountE8: usd('10000') });
    const trader = h.createAccount('600');
    h.run({ type: 'SetLeverage', accountId: trader, symbol: 'BTCUSDT', leverage: 100 });
    desk.quote('BTCUSDT', '50000', '0.5');
    desk.settle();
    expect(rejects(h.order(trader, 'BTCUSDT', 'BUY', 'MARKET', '1'))).toEqual([]);
    // Bought 1 BTC at 50,000.5; fee 25.00025 → wallet 574.99975.
    expect(h.account(trader).crossWalletE8).toBe(usd('574.99975'));
    // The market gaps to 49,500 and the only bids are 4% lower.
    desk.quote('BTCUSDT', '49500', '1980');
    desk.settle();
    const [liquidation] = ofType(h.log, 'Liquidation');
    expect(liquidation).toBeDefined();
    // Equity at mark 49,500: 574.99975 − 500.5 = 74.49975; bankruptcy 50,000.5 − 574.99975 = 49,425.50025 → 49,425.6.
    expect(liquidation!.marginBalanceE8).toBe(usd('74.49975'));
    expect(liquidation!.bankruptcyPriceTicks).toBe(494256);
    // Sold at 47,520: deficit 47,520 − 49,425.50025 = −1,905.50025, paid by the fund; no fee from nothing.
    expect(liquidation!.bookNotionalE8).toBe(usd('47520'));
    expect(liquidation!.feeE8).toBe(0n);
    expect(liquidation!.insuranceDeltaE8).toBe(-usd('1905.50025'));
    expect(h.engine.ctx.insuranceFundE8).toBe(usd('10000') - usd('1905.50025'));
    expect(h.account(trader).crossWalletE8).toBe(0n);
    expect(h.engine.checkInvariants()).toEqual([]);
  });

  it('when the fund cannot cover, the remainder is deleveraged against the top-ranked short at the bankruptcy price', () => {
    const desk = new Desk([noInterest(BTCUSDT)]);
    const { h } = desk;
    h.run({ type: 'FundInsurance', amountE8: usd('1000') });
    const trader = h.createAccount('600');
    const highRanked = h.createAccount('300');
    const lowRanked = h.createAccount('100000');
    h.run({ type: 'SetLeverage', accountId: trader, symbol: 'BTCUSDT', leverage: 100 });
    h.run({ type: 'SetLeverage', accountId: highRanked, symbol: 'BTCUSDT', leverage: 100 });
    h.index('BTCUSDT', '50000');
    desk.settle();
    h.order(highRanked, 'BTCUSDT', 'SELL', 'LIMIT', '0.5', { price: '50000.5' });
    h.order(lowRanked, 'BTCUSDT', 'SELL', 'LIMIT', '0.5', { price: '50000.5' });
    expect(rejects(h.order(trader, 'BTCUSDT', 'BUY', 'MARKET', '1'))).toEqual([]);
    desk.quote('BTCUSDT', '49500', '1980');
    desk.settle();
    const [liquidation] = ofType(h.log, 'Liquidation');
    // Fills beyond the bankruptcy price (49,425.50025) are what the fund pays for: each lot sold
    // at 47,520 costs 1.90550025 beyond it, so the fund's 1,000 allows 524 lots.
    expect(liquidation!.bookFilledLots).toBe(524);
    // Equity at mark is then 74.49975 − 524 × 1.98 = −963.02025, which the fund pays; the other
    // 476 lots go to ADL at the new bankruptcy price, which equals the mark once equity is 0.
    expect(liquidation!.insuranceDeltaE8).toBe(-usd('963.02025'));
    expect(liquidation!.adl).toEqual([{ accountId: highRanked, qtyLots: 476, priceTicks: 495000,
      realizedPnlE8: usd('238.238') }]);
    expect(h.position(highRanked, 'BTCUSDT')!.sizeLots).toBe(-24);
    expect(h.position(lowRanked, 'BTCUSDT')!.sizeLots).toBe(-500);
    expect(h.position(trader, 'BTCUSDT')!.sizeLots).toBe(0);
    expect(h.engine.checkInvariants()).toEqual([]);
  });
});

describe('partial liquidation by bracket steps', () => {
  it('a position in bracket 3 is first reduced to the bracket floor and kept if that restores margin', () => {
    const desk = new Desk([noInterest(BTCUSDT, { liquidationFeeRate: '0.005' })]);
    const { h } = desk;
    const trader = h.createAccount('25600');
    h.run({ type: 'SetLeverage', accountId: trader, symbol: 'BTCUSDT', leverage: 50 });
    desk.quote('BTCUSDT', '50000', '0.5');
    desk.settle();
    expect(rejects(h.order(trader, 'BTCUSDT', 'BUY', 'MARKET', '20'))).toEqual([]);
    desk.quote('BTCUSDT', '49000', '0.5');
    desk.settle();
    const liquidations = ofType(h.log, 'Liquidation');
    expect(liquidations).toHaveLength(1);
    // Notional 980,000 is bracket 3 (600k–3M): keep floor(600,000 / 49) = 12,244 lots, sell 7,756.
    expect(liquidations[0]!.qtyLots).toBe(7756);
    expect(h.position(trader, 'BTCUSDT')!.sizeLots).toBe(12_244);
    const view = h.engine.accountView(trader)!;
    expect(view.crossMarginBalanceE8 > view.crossMaintenanceMarginE8).toBe(true);
    expect(h.engine.checkInvariants()).toEqual([]);
  });
});

describe('isolated liquidation', () => {
  it('loses only the isolated margin; the cross wallet is untouched', () => {
    const desk = new Desk([noInterest(BTCUSDT)]);
    const { h } = desk;
    h.run({ type: 'FundInsurance', amountE8: usd('100000') });
    const trader = h.createAccount('10000');
    h.run({ type: 'SetMarginType', accountId: trader, symbol: 'BTCUSDT', marginType: 'ISOLATED' });
    h.run({ type: 'SetLeverage', accountId: trader, symbol: 'BTCUSDT', leverage: 100 });
    desk.quote('BTCUSDT', '50000', '0.5');
    desk.settle();
    expect(rejects(h.order(trader, 'BTCUSDT', 'BUY', 'MARKET', '1'))).toEqual([]);
    // IM 500.005 and the open loss 0.5 (bought 0.5 above the mark) moved to the isolated wallet,
    // the 25.00025 fee from the cross wallet.
    expect(h.position(trader, 'BTCUSDT')!.isolatedWalletE8).toBe(usd('500.505'));
    const crossBefore = h.account(trader).crossWalletE8;
    expect(crossBefore).toBe(usd('10000') - usd('500.505') - usd('25.00025'));
    desk.quote('BTCUSDT', '48000', '1000');
    desk.settle();
    expect(ofType(h.log, 'Liquidation')).toHaveLength(1);
    expect(h.position(trader, 'BTCUSDT')!.sizeLots).toBe(0);
    expect(h.position(trader, 'BTCUSDT')!.isolatedWalletE8).toBe(0n);
    expect(h.account(trader).crossWalletE8).toBe(crossBefore);
    expect(h.engine.checkInvariants()).toEqual([]);
  });
});

describe('cross margin across symbols', () => {
  it('a move in one symbol liquidates a cross account through its other position', () => {
    const desk = new Desk([noInterest(BTCUSDT), noInterest(ETHUSDT)]);
    const { h } = desk;
    const trader = h.createAccount('1500');
    for (const symbol of ['BTCUSDT', 'ETHUSDT']) h.run({ type: 'SetLeverage', accountId: trader, symbol, leverage: 100 });
    desk.quote('BTCUSDT', '50000', '0.5');
    desk.quote('ETHUSDT', '3000', '0.05');
    desk.settle();
    expect(rejects(h.order(trader, 'BTCUSDT', 'BUY', 'MARKET', '1'))).toEqual([]);
    expect(rejects(h.order(trader, 'ETHUSDT', 'SELL', 'MARKET', '10'))).toEqual([]);
    // Both positions are filed under safety bands around the current marks, not liquidation prices.
    const ethMarket = h.engine.market('ETHUSDT');
    const ethKey = ethMarket.liquidations.keyOfPosition(h.position(trader, 'ETHUSDT')!);
    expect(ethKey).toBeGreaterThan(ethMarket.markTicks);
    expect(ethKey).toBeLessThan(h.px('ETHUSDT', '3120'));
    // ETH rises 4% while BTC stays: the ETH short's loss takes the whole account below maintenance.
    desk.quote('ETHUSDT', '3120', '0.05');
    desk.settle();
    const liquidations = ofType(h.log, 'Liquidation');
    expect(liquidations.length).toBeGreaterThan(0);
    expect(liquidations.every((l) => l.accountId === trader && l.marginType === 'CROSSED')).toBe(true);
    const view = h.engine.accountView(trader)!;
    expect(view.positions.every((p) => p.sizeLots === 0) || view.crossMarginBalanceE8 > view.crossMaintenanceMarginE8).toBe(true);
    expect(h.engine.checkInvariants()).toEqual([]);
  });
});

describe('closing orders stop at the bankruptcy price', () => {
  it('a market close fills only down to the bankruptcy price; the rest expires and the wallet stays ≥ 0', () => {
    const desk = new Desk([noInterest(BTCUSDT)]);
    const { h } = desk;
    const trader = h.createAccount('600');
    h.run({ type: 'SetLeverage', accountId: trader, symbol: 'BTCUSDT', leverage: 100 });
    desk.quote('BTCUSDT', '50000', '0.5');
    desk.settle();
    expect(rejects(h.order(trader, 'BTCUSDT', 'BUY', 'MARKET', '1'))).toEqual([]);
    // The book falls away before the mark does: bids at 49,500 (0.2) and 47,600 (1).
    h.run({ type: 'CancelAllOrders', accountId: desk.maker, symbol: 'BTCUSDT', scope: 'ALL' });
    h.order(desk.maker, 'BTCUSDT', 'BUY', 'LIMIT', '0.2', { price: '49500' });
    h.order(desk.maker, 'BTCUSDT', 'BUY', 'LIMIT', '1', { price: '47600' });
    const events = h.order(trader, 'BTCUSDT', 'SELL', 'MARKET', '1', { reduceOnly: true });
    // Bankruptcy 50,000.5 − 574.99975 = 49,425.50025: the 47,600 bid is beyond it.
    expect(ofType(events, 'Trade').map((t) => [t.priceTicks, t.qtyLots])).toEqual([[495000, 200]]);
    expect(h.position(trader, 'BTCUSDT')!.sizeLots).toBe(800);
    expect(h.account(trader).crossWalletE8 >= 0n).toBe(true);
    expect(h.engine.checkInvariants()).toEqual([]);
  });
});
