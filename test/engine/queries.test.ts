/**
 * Read-only views: the liquidation-price preview before an order (what a 100x trader should see),
 * market figures, every live order, and the ledger totals the operator endpoint shows.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BTCUSDT } from '../../src/core/instrument/catalog.js';
import { Harness, rejects, usd } from '../support/engine-harness.js';

function setup(): { h: Harness; maker: number; trader: number } {
  const h = new Harness([{ ...BTCUSDT, funding: { ...BTCUSDT.funding, interestRate: '0' } }]);
  const maker = h.createAccount('10000000');
  const trader = h.createAccount('1000');
  h.index('BTCUSDT', '50000');
  h.order(maker, 'BTCUSDT', 'BUY', 'LIMIT', '10', { price: '49999.5' });
  h.order(maker, 'BTCUSDT', 'SELL', 'LIMIT', '10', { price: '50000.5' });
  h.run({ type: 'SetLeverage', accountId: trader, symbol: 'BTCUSDT', leverage: 100 });
  return { h, maker, trader };
}

describe('queries', () => {
  it('previews the liquidation price an order would lead to, equal to the one after it fills', () => {
    const { h, trader } = setup();
    const preview = h.engine.previewOrder({ accountId: trader, symbol: 'BTCUSDT', side: 'BUY', qtyLots: 1000, priceTicks: 0 })!;
    expect(preview.fillableLots).toBe(1000);
    expect(preview.fillNotionalE8).toBe(usd('50000.5'));
    expect(preview.affordable).toBe(true);
    expect(rejects(h.order(trader, 'BTCUSDT', 'BUY', 'MARKET', '1'))).toEqual([]);
    const after = h.engine.accountView(trader)!.positions[0]!;
    expect(preview.liquidationPriceAfterTicks).toBe(after.liquidationPriceTicks);
    expect(preview.sizeAfterLots).toBe(after.sizeLots);
  });

  it('says when an order is not affordable, without changing anything', () => {
    const { h, trader } = setup();
    const hash = h.engine.stateHash();
    const preview = h.engine.previewOrder({ accountId: trader, symbol: 'BTCUSDT', side: 'SELL', qtyLots: 3000, priceTicks: 0 })!;
    expect(preview.affordable).toBe(false);
    expect(h.engine.stateHash()).toBe(hash);
  });

  it('is affordable exactly when the order passes the margin check, taker-fee reserve included', () => {
    // 1 BTC at 100x costs 500.505 (IM 500.005 + open loss 0.5) and reserves a 25.00025 taker fee: between them
    // the old preview said "affordable" where the order was refused -2019.
    for (const [deposit, expected] of [['510', -2019], ['525.50525', 0]] as const) {
      const h = new Harness([{ ...BTCUSDT, funding: { ...BTCUSDT.funding, interestRate: '0' } }]);
      const maker = h.createAccount('10000000');
      const trader = h.createAccount(deposit);
      h.index('BTCUSDT', '50000');
      h.order(maker, 'BTCUSDT', 'SELL', 'LIMIT', '10', { price: '50000.5' });
      h.run({ type: 'SetLeverage', accountId: trader, symbol: 'BTCUSDT', leverage: 100 });
      const preview = h.engine.previewOrder({ accountId: trader, symbol: 'BTCUSDT', side: 'BUY', qtyLots: 1000, priceTicks: 0 })!;
      expect(preview.rejectCode).toBe(expected);
      expect(preview.feeReserveE8).toBe(usd('25.00025'));
      expect(rejects(h.order(trader, 'BTCUSDT', 'BUY', 'MARKET', '1')).map((r) => r.code)).toEqual(expected === 0 ? [] : [expected]);
    }
  });

  it('agrees with the order it previews for any size, price and leverage', () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 125 }), fc.integer({ min: 1, max: 40_000 }), fc.boolean(), fc.integer({ min: -300, max: 300 }),
      fc.integer({ min: 50, max: 5_000 }), (leverage, qtyLots, buy, offsetTicks, depositUsdt) => {
        const h = new Harness([{ ...BTCUSDT, funding: { ...BTCUSDT.funding, interestRate: '0' } }]);
        const maker = h.createAccount('100000000');
        const trader = h.createAccount(String(depositUsdt));
        h.index('BTCUSDT', '50000');
        h.order(maker, 'BTCUSDT', 'BUY', 'LIMIT', '20', { price: '49990' });
        h.order(maker, 'BTCUSDT', 'SELL', 'LIMIT', '20', { price: '50010' });
        h.run({ type: 'SetLeverage', accountId: trader, symbol: 'BTCUSDT', leverage });
        const priceTicks = offsetTicks === 0 ? 0 : 500_000 + offsetTicks * 10;
        const preview = h.engine.previewOrder({ accountId: trader, symbol: 'BTCUSDT', side: buy ? 'BUY' : 'SELL', qtyLots,
          priceTicks })!;
        const events = h.run({ type: 'PlaceOrder', accountId: trader, symbol: 'BTCUSDT', side: buy ? 'BUY' : 'SELL',
          orderType: priceTicks === 0 ? 'MARKET' : 'LIMIT', timeInForce: 'GTC', qtyLots, priceTicks, stopPriceTicks: 0,
          activationPriceTicks: 0, callbackRateBps: 0, reduceOnly: false, closePosition: false, workingType: 'CONTRACT_PRICE',
          priceProtect: false, stpMode: 'NONE', clientOrderId: '' });
        const marginCodes = rejects(events).map((r) => r.code).filter((code) => code === -2019 || code === -2027);
        expect(marginCodes).toEqual(preview.rejectCode === 0 ? [] : [preview.rejectCode]);
      }), { numRuns: 150 });
  });

  it('reports market figures, every live order and the ledger', () => {
    const { h, maker } = setup();
    const market = h.engine.marketView('BTCUSDT');
    expect(market).toMatchObject({ indexTicks: 500000, markTicks: 500000, bestBidTicks: 499995, bestAskTicks: 500005,
      openInterestLots: 0, lastTradeId: 0 });
    expect(h.engine.allOpenOrders().map((o) => o.accountId)).toEqual([maker, maker]);
    const ledger = h.engine.ledger();
    expect(ledger.depositsE8).toBe(usd('10001000'));
    expect(ledger.walletsE8 + ledger.unrealizedPnlE8 + ledger.insuranceFundE8 + ledger.feePoolE8)
      .toBe(ledger.depositsE8 - ledger.withdrawalsE8);
  });
});
