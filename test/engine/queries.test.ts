/**
 * Read-only views: the liquidation-price preview before an order (what a 100x trader should see),
 * market figures, every live order, and the ledger totals the operator endpoint shows.
 */
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
