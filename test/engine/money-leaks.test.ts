/**
 * Regression tests for the money leaks an independent audit found (issue 13 §1), each as the
 * reproduction the audit gave, with figures worked by hand:
 * - an isolated partial close released margin the remainder needed, so the remainder was
 *   liquidated at an unchanged mark and the insurance fund paid a trader who was never bankrupt;
 * - a trader's own close capped at the bankruptcy price then paid the taker fee on top;
 * - an isolated deficit reached the cross wallet when the fund was empty;
 * - premium samples of a quiet gap were lost, so funding depended on how often commands arrived.
 */
import { describe, expect, it } from 'vitest';
import { BTCUSDT } from '../../src/core/instrument/catalog.js';
import type { InstrumentSpec } from '../../src/core/instrument/instrument.js';
import type { EngineEvent } from '../../src/core/engine/events.js';
import { fractionToTicks, liquidationPrice } from '../../src/core/engine/margin.js';
import { Harness, ofType, rejects, usd } from '../support/engine-harness.js';

const noInterest = (spec: InstrumentSpec): InstrumentSpec =>
  ({ ...spec, funding: { ...spec.funding, interestRate: '0' } });

/** A maker with deep pockets and a trader, the mark settled at `index` by quotes ± 0.5 for a minute. */
function desk(index: string, fund = '0'): { h: Harness; maker: number } {
  const h = new Harness([noInterest(BTCUSDT)]);
  if (fund !== '0') h.run({ type: 'FundInsurance', amountE8: usd(fund) });
  const maker = h.createAccount('100000000');
  h.index('BTCUSDT', index);
  quoteAround(h, maker, index);
  h.advance(60_000);
  return { h, maker };
}

function quoteAround(h: Harness, maker: number, index: string): void {
  h.run({ type: 'CancelAllOrders', accountId: maker, symbol: 'BTCUSDT', scope: 'ALL' });
  const mid = h.px('BTCUSDT', index);
  for (const [side, ticks] of [['BUY', mid - 5], ['SELL', mid + 5]] as const) {
    h.run({ type: 'PlaceOrder', accountId: maker, symbol: 'BTCUSDT', side, orderType: 'LIMIT', timeInForce: 'GTC',
      qtyLots: 50_000, priceTicks: ticks, stopPriceTicks: 0, activationPriceTicks: 0, callbackRateBps: 0,
      reduceOnly: false, closePosition: false, workingType: 'CONTRACT_PRICE', priceProtect: false, stpMode: 'NONE',
      clientOrderId: '' });
  }
}

function insuranceDeficits(events: readonly EngineEvent[]): bigint {
  return ofType(events, 'InsuranceFundChanged').filter((e) => e.reason === 'DEFICIT')
    .reduce((sum, e) => sum - e.deltaE8, 0n);
}

describe('isolated partial close', () => {
  it('keeps the margin the remainder needs: no liquidation at an unchanged mark, the fund pays nothing', () => {
    const { h, maker } = desk('60000', '10000');
    const trader = h.createAccount('10000');
    h.run({ type: 'SetMarginType', accountId: trader, symbol: 'BTCUSDT', marginType: 'ISOLATED' });
    h.run({ type: 'SetLeverage', accountId: trader, symbol: 'BTCUSDT', leverage: 20 });
    h.run({ type: 'CancelAllOrders', accountId: maker, symbol: 'BTCUSDT', scope: 'ALL' });
    h.order(maker, 'BTCUSDT', 'SELL', 'LIMIT', '1', { price: '60000' });
    expect(rejects(h.order(trader, 'BTCUSDT', 'BUY', 'LIMIT', '1', { price: '60000' }))).toEqual([]);
    // Isolated 20x long 1 BTC at 60,000: the isolated wallet holds the initial margin, 3,000.
    expect(h.position(trader, 'BTCUSDT')!.isolatedWalletE8).toBe(usd('3000'));
    // The mark settles at 58,000: equity 1,000 against maintenance 232.
    h.index('BTCUSDT', '58000');
    quoteAround(h, maker, '58000');
    h.advance(60_000);
    expect(h.engine.market('BTCUSDT').markTicks).toBe(h.px('BTCUSDT', '58000'));
    h.run({ type: 'CancelAllOrders', accountId: maker, symbol: 'BTCUSDT', scope: 'ALL' });
    h.order(maker, 'BTCUSDT', 'BUY', 'LIMIT', '0.5', { price: '58000' });
    h.order(maker, 'BTCUSDT', 'BUY', 'LIMIT', '10', { price: '57000' });
    h.order(maker, 'BTCUSDT', 'SELL', 'LIMIT', '10', { price: '58001' });
    const fundBefore = h.engine.ctx.insuranceFundE8;
    const events = h.order(trader, 'BTCUSDT', 'SELL', 'LIMIT', '0.5', { price: '58000', reduceOnly: true });
    expect(rejects(events)).toEqual([]);
    expect(ofType(events, 'Liquidation')).toEqual([]);
    expect(insuranceDeficits(events)).toBe(0n);
    expect(h.engine.ctx.insuranceFundE8).toBe(fundBefore);
    // The closed half takes its share of the isolated margin (1,500) net of its loss (1,000) back to
    // cross; the remaining half keeps 1,500, so its equity is 500, half of what the whole had.
    const position = h.position(trader, 'BTCUSDT')!;
    expect(position.sizeLots).toBe(500);
    expect(position.isolatedWalletE8).toBe(usd('1500'));
    const view = h.engine.accountView(trader)!.positions[0]!;
    expect(view.isolatedWalletE8 + view.unrealizedPnlE8).toBe(usd('500'));
    expect(h.engine.checkInvariants()).toEqual([]);
  });

  it('releases profit and the closed share of margin to cross; the remainder keeps its share', () => {
    const { h, maker } = desk('60000');
    const trader = h.createAccount('10000');
    h.run({ type: 'SetMarginType', accountId: trader, symbol: 'BTCUSDT', marginType: 'ISOLATED' });
    h.run({ type: 'SetLeverage', accountId: trader, symbol: 'BTCUSDT', leverage: 20 });
    h.run({ type: 'CancelAllOrders', accountId: maker, symbol: 'BTCUSDT', scope: 'ALL' });
    h.order(maker, 'BTCUSDT', 'SELL', 'LIMIT', '1', { price: '60000' });
    h.order(trader, 'BTCUSDT', 'BUY', 'LIMIT', '1', { price: '60000' });
    const crossAfterOpen = h.account(trader).crossWalletE8;
    h.order(maker, 'BTCUSDT', 'BUY', 'LIMIT', '0.25', { price: '62000' });
    const events = h.order(trader, 'BTCUSDT', 'SELL', 'LIMIT', '0.25', { price: '62000', reduceOnly: true });
    expect(rejects(events)).toEqual([]);
    // Realized +500; a quarter of 3,000 (750) is released with it; the rest keeps 2,250 for 0.75 BTC.
    expect(h.position(trader, 'BTCUSDT')!.isolatedWalletE8).toBe(usd('2250'));
    const fee = usd('62000') / 4n * 5n / 10_000n; // taker 0.05% of 15,500
    expect(h.account(trader).crossWalletE8).toBe(crossAfterOpen + usd('1250') - fee);
    expect(h.engine.checkInvariants()).toEqual([]);
  });
});

describe("a trader's own close at the bankruptcy cap", () => {
  it('leaves room for the taker fee: the wallet never goes negative and the fund pays nothing', () => {
    const { h, maker } = desk('60000');
    const trader = h.createAccount('1000');
    h.run({ type: 'SetLeverage', accountId: trader, symbol: 'BTCUSDT', leverage: 100 });
    h.run({ type: 'CancelAllOrders', accountId: maker, symbol: 'BTCUSDT', scope: 'ALL' });
    h.order(trader, 'BTCUSDT', 'BUY', 'LIMIT', '1', { price: '60000' });
    h.order(maker, 'BTCUSDT', 'SELL', 'LIMIT', '1', { price: '60000' });
    // Maker fill: fee 12 (0.02%), wallet 988; bankruptcy 59,012 without fees.
    expect(h.account(trader).crossWalletE8).toBe(usd('988'));
    // The book falls away before the mark: a small bid exactly at the fee-aware cap, then 59,030,
    // which is above the old cap (59,012) but leaves too little for the taker fee.
    h.order(maker, 'BTCUSDT', 'BUY', 'LIMIT', '0.4', { price: '59041.6' });
    h.order(maker, 'BTCUSDT', 'BUY', 'LIMIT', '1', { price: '59030' });
    const events = h.order(trader, 'BTCUSDT', 'SELL', 'MARKET', '1', { reduceOnly: true });
    expect(rejects(events)).toEqual([]);
    // Cap: p ≥ (60,000 − 988 + 3e-8 per lot) / (1 − 0.0005) = 59,041.52… → 59,041.6. Closing all of it
    // there leaves 988 − 958.4 − 29.5208 = 0.0792; one tick lower would leave −0.02075.
    expect(ofType(events, 'Trade').map((t) => [t.priceTicks, t.qtyLots])).toEqual([[h.px('BTCUSDT', '59041.6'), 400]]);
    expect(h.position(trader, 'BTCUSDT')!.sizeLots).toBe(600);
    expect(h.account(trader).crossWalletE8 >= 0n).toBe(true);
    expect(insuranceDeficits(h.log)).toBe(0n);
    expect(h.engine.checkInvariants()).toEqual([]);
  });
});

describe('an isolated liquidation with an empty fund', () => {
  it('never fills beyond the bankruptcy price: the rest goes to ADL and the cross wallet is untouched', () => {
    const { h, maker } = desk('60010');
    const trader = h.createAccount('11000.2525');
    h.run({ type: 'SetMarginType', accountId: trader, symbol: 'BTCUSDT', marginType: 'ISOLATED' });
    h.run({ type: 'SetLeverage', accountId: trader, symbol: 'BTCUSDT', leverage: 20 });
    h.run({ type: 'CancelAllOrders', accountId: maker, symbol: 'BTCUSDT', scope: 'ALL' });
    h.order(maker, 'BTCUSDT', 'SELL', 'LIMIT', '0.5', { price: '60010' });
    h.order(trader, 'BTCUSDT', 'BUY', 'LIMIT', '0.5', { price: '60010' });
    // Isolated wallet 1,500.25 (bankruptcy 57,009.5); fee 15.0025 → 9,485 left in cross.
    expect(h.position(trader, 'BTCUSDT')!.isolatedWalletE8).toBe(usd('1500.25'));
    const crossBefore = h.account(trader).crossWalletE8;
    expect(crossBefore).toBe(usd('9485'));
    // The index gaps to 56,950 with bids from 57,000 down: the mark lands just under the bids.
    h.order(maker, 'BTCUSDT', 'BUY', 'LIMIT', '10', { price: '57000' });
    h.order(maker, 'BTCUSDT', 'SELL', 'LIMIT', '10', { price: '57100' });
    h.index('BTCUSDT', '56950');
    h.advance(1_000);
    const [liquidation] = ofType(h.log, 'Liquidation');
    expect(liquidation).toBeDefined();
    expect(liquidation!.markTicks).toBeLessThan(h.px('BTCUSDT', '57000'));
    // 57,000 is beyond the bankruptcy price and the fund is empty: nothing fills on the book.
    expect(liquidation!.bookFilledLots).toBe(0);
    expect(liquidation!.adl).toEqual([{ accountId: maker, qtyLots: 500, priceTicks: h.px('BTCUSDT', '57009.5'),
      realizedPnlE8: usd('1500.25') }]);
    expect(h.position(trader, 'BTCUSDT')!.sizeLots).toBe(0);
    expect(h.account(trader).crossWalletE8).toBe(crossBefore);
    expect(insuranceDeficits(h.log)).toBe(0n);
    expect(h.engine.checkInvariants()).toEqual([]);
  });
});

describe('funding after a quiet gap', () => {
  /** Quotes symmetric around the index (no premium) until 3 h before funding, then bids above it. */
  function premiumDesk(): { h: Harness; fundingAt: number } {
    const h = new Harness([BTCUSDT]);
    const maker = h.createAccount('100000000');
    h.index('BTCUSDT', '60000');
    h.order(maker, 'BTCUSDT', 'BUY', 'LIMIT', '5', { price: '59990' });
    h.order(maker, 'BTCUSDT', 'SELL', 'LIMIT', '5', { price: '60010' });
    const fundingAt = h.engine.market('BTCUSDT').nextFundingMs;
    h.run({ type: 'CancelAllOrders', accountId: maker, symbol: 'BTCUSDT', scope: 'ALL' }, fundingAt - 3 * 3_600_000);
    h.order(maker, 'BTCUSDT', 'BUY', 'LIMIT', '5', { price: '60060' });
    h.order(maker, 'BTCUSDT', 'SELL', 'LIMIT', '5', { price: '60070' });
    return { h, fundingAt };
  }

  it('counts every premium sample of the gap, whether or not commands arrived', () => {
    const quiet = premiumDesk();
    const busy = premiumDesk();
    // One engine hears nothing for three hours; the other gets a Tick every minute.
    const quietEvents = quiet.h.run({ type: 'Tick' }, quiet.fundingAt + 1);
    for (let at = busy.h.now + 60_000; at < busy.fundingAt; at += 60_000) busy.h.run({ type: 'Tick' }, at);
    const busyEvents = busy.h.run({ type: 'Tick' }, busy.fundingAt + 1);
    const [quietFunding] = ofType(quietEvents, 'FundingSettled');
    const [busyFunding] = ofType(busyEvents, 'FundingSettled');
    // The last three hours carry a premium of 0.1%: above the clamp, so the rate exceeds the interest.
    expect(busyFunding!.rateE8).toBeGreaterThan(10_000n);
    expect(quietFunding!.rateE8).toBe(busyFunding!.rateE8);
  });
});

describe('isolated margin removal (Binance FAQ 360038447311)', () => {
  it('may take out unrealized profit above the initial margin, never below maintenance', () => {
    const { h, maker } = desk('50000');
    const trader = h.createAccount('10000');
    h.run({ type: 'SetMarginType', accountId: trader, symbol: 'BTCUSDT', marginType: 'ISOLATED' });
    h.run({ type: 'SetLeverage', accountId: trader, symbol: 'BTCUSDT', leverage: 10 });
    h.run({ type: 'CancelAllOrders', accountId: maker, symbol: 'BTCUSDT', scope: 'ALL' });
    h.order(maker, 'BTCUSDT', 'SELL', 'LIMIT', '1', { price: '50000' });
    h.order(trader, 'BTCUSDT', 'BUY', 'LIMIT', '1', { price: '50000' });
    expect(h.position(trader, 'BTCUSDT')!.isolatedWalletE8).toBe(usd('5000'));
    h.index('BTCUSDT', '52000');
    quoteAround(h, maker, '52000');
    h.advance(60_000);
    expect(h.engine.market('BTCUSDT').markTicks).toBe(h.px('BTCUSDT', '52000'));
    // min(5,000 − MM 208, 5,000 + UPnL 2,000 − IM 5,200) = 1,800; the old rule allowed nothing in profit.
    const remove = (amount: string) => rejects(h.run({ type: 'AdjustIsolatedMargin', accountId: trader,
      symbol: 'BTCUSDT', amountE8: -usd(amount) })).map((r) => r.code);
    expect(remove('1800.00000001')).toEqual([-4051]);
    expect(remove('1800')).toEqual([]);
    expect(h.position(trader, 'BTCUSDT')!.isolatedWalletE8).toBe(usd('3200'));
    expect(h.engine.checkInvariants()).toEqual([]);
  });
});

describe('liquidation price of a position under water at every price', () => {
  it('is undefined (0 in views), as Binance reports it, not the solution of a bracket that does not hold it', () => {
    const h = new Harness([BTCUSDT]);
    const instrument = h.engine.market('BTCUSDT').instrument;
    // A 1 BTC short entered at 50,000 backed by −60,000 (losses elsewhere in a cross account): its
    // equity is negative even at a price of 0, so every price liquidates it.
    const lots = -h.lots('BTCUSDT', '1');
    const cost = -usd('50000');
    expect(liquidationPrice(instrument, lots, cost, -usd('60000'))).toBeUndefined();
    // The same short backed by +1,000 has an ordinary liquidation price above its entry.
    const price = liquidationPrice(instrument, lots, cost, usd('1000'))!;
    expect(fractionToTicks(price, 'nearest')).toBeGreaterThan(h.px('BTCUSDT', '50000'));
    // A long backed by more than its cost cannot be liquidated at any positive price.
    expect(liquidationPrice(instrument, -lots, -cost, usd('50001'))).toBeUndefined();
  });
});

describe('an isolated position opened above the mark', () => {
  it('brings its open loss into the isolated wallet, so the fund does not pay the seller', () => {
    const h = new Harness([noInterest(BTCUSDT)]);
    h.run({ type: 'FundInsurance', amountE8: usd('100000') });
    const maker = h.createAccount('1000000');
    const buyer = h.createAccount('10000');
    const seller = h.createAccount('100000');
    h.index('BTCUSDT', '50000');
    quoteAround(h, maker, '50000');
    h.advance(60_000);
    h.run({ type: 'CancelAllOrders', accountId: maker, symbol: 'BTCUSDT', scope: 'ALL' });
    h.order(maker, 'BTCUSDT', 'BUY', 'LIMIT', '5', { price: '49990' });
    h.run({ type: 'SetMarginType', accountId: buyer, symbol: 'BTCUSDT', marginType: 'ISOLATED' });
    h.run({ type: 'SetLeverage', accountId: buyer, symbol: 'BTCUSDT', leverage: 125 });
    // A colluding seller offers 4% above the mark (inside PERCENT_PRICE) and the 125x buyer takes it.
    h.order(seller, 'BTCUSDT', 'SELL', 'LIMIT', '0.1', { price: '52000' });
    const events = h.order(buyer, 'BTCUSDT', 'BUY', 'LIMIT', '0.1', { price: '52000' });
    expect(rejects(events)).toEqual([]);
    // Isolated wallet: IM 5,200 / 125 = 41.6 plus the open loss 0.1 × 2,000 = 200.
    expect(h.position(buyer, 'BTCUSDT')!.isolatedWalletE8).toBe(usd('241.6'));
    expect(ofType(events, 'Liquidation')).toEqual([]);
    expect(insuranceDeficits(h.log)).toBe(0n);
    expect(h.engine.checkInvariants()).toEqual([]);
  });
});

describe('an isolated opening whose open loss exceeds the cross wallet', () => {
  it("leaves room for the fill's fee: the cross wallet ends at zero, never below (differential seed 1361718744)", () => {
    const { h, maker } = desk('60000');
    const trader = h.createAccount('100');
    h.run({ type: 'SetMarginType', accountId: trader, symbol: 'BTCUSDT', marginType: 'ISOLATED' });
    h.run({ type: 'SetLeverage', accountId: trader, symbol: 'BTCUSDT', leverage: 75 });
    // The maker steps away; a bid 1.5 % above the mark rests (its margin and open loss fit the 100 USDT now).
    h.run({ type: 'CancelAllOrders', accountId: maker, symbol: 'BTCUSDT', scope: 'ALL' });
    expect(rejects(h.order(trader, 'BTCUSDT', 'BUY', 'LIMIT', '0.025', { price: '60900' }))).toEqual([]);
    // The index falls 5 %; the bid rests, stale.
    h.index('BTCUSDT', '57000');
    h.advance(60_000);
    expect(h.engine.market('BTCUSDT').markTicks).toBeLessThan(h.px('BTCUSDT', '58000'));
    // A seller hits it: 0.025 BTC bought at 60,900 with the mark near 57,000, an open loss of ~97 USDT against
    // the 100 USDT wallet after the margin; then the maker fee is charged to the cross wallet.
    const events = h.order(maker, 'BTCUSDT', 'SELL', 'LIMIT', '0.025', { price: '57000', timeInForce: 'IOC' });
    expect(ofType(events, 'Trade')[0]).toMatchObject({ priceTicks: h.px('BTCUSDT', '60900'), makerAccountId: trader });
    expect(h.account(trader).crossWalletE8 >= 0n).toBe(true);
    expect(h.engine.checkInvariants()).toEqual([]);
  });
});
