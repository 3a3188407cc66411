/**
 * The story perpx is built around, as an executable scenario: ~1,000 yuan (150 USDT) shorts BTC at
 * 100x, "rolls" the unrealized profit into bigger shorts as the price falls (cross margin lets
 * unrealized profit back new positions), and a rebound liquidates him. Every balance, liquidation
 * price and the final loss is checked against values computed by hand in the comments.
 * Interest is configured to 0 so that, with a market maker quoting symmetrically around the index,
 * the mark price equals the index exactly and the hand computation stays readable.
 */
import { describe, expect, it } from 'vitest';
import { BTCUSDT } from '../../src/core/instrument/catalog.js';
import { Harness, ofType, rejects, usd } from '../support/engine-harness.js';

const SPEC = { ...BTCUSDT, funding: { ...BTCUSDT.funding, interestRate: '0' } };

class Market {
  readonly h = new Harness([SPEC]);
  readonly maker = this.h.createAccount('10000000');
  private quotes: number[] = [];

  /** Moves the index and re-quotes 50 BTC each side at index ± 0.5, then lets one mark instant pass. */
  move(index: string): void {
    for (const orderId of this.quotes) {
      this.h.run({ type: 'CancelOrder', accountId: this.maker, symbol: 'BTCUSDT', orderId, clientOrderId: '' });
    }
    this.quotes = [];
    this.h.index('BTCUSDT', index);
    const mid = this.h.px('BTCUSDT', index);
    for (const [side, ticks] of [['BUY', mid - 5], ['SELL', mid + 5]] as const) {
      const events = this.h.run({
        type: 'PlaceOrder', accountId: this.maker, symbol: 'BTCUSDT', side, orderType: 'LIMIT', timeInForce: 'GTC',
        qtyLots: 50_000, priceTicks: ticks, stopPriceTicks: 0, activationPriceTicks: 0, callbackRateBps: 0,
        reduceOnly: false, closePosition: false, workingType: 'CONTRACT_PRICE', priceProtect: false, stpMode: 'NONE',
        clientOrderId: '',
      });
      const accepted = ofType(events, 'OrderUpdate')[0];
      if (accepted?.execution === 'NEW' && accepted.order.status !== 'FILLED') this.quotes.push(accepted.order.orderId);
    }
    this.h.advance(60_000);
    expect(this.h.engine.market('BTCUSDT').markTicks).toBe(mid);
  }
}

describe('the 100x scalper who rolls his profit', () => {
  it('opens, rolls twice on unrealized profit, and is liquidated by the rebound', () => {
    const market = new Market();
    const { h } = market;
    const trader = h.createAccount('150');
    const twin = h.createAccount('150');
    market.move('43000');
    for (const accountId of [trader, twin]) {
      expect(rejects(h.run({ type: 'SetLeverage', accountId, symbol: 'BTCUSDT', leverage: 100 }))).toEqual([]);
    }
    const view = () => h.engine.accountView(trader)!;

    // 1. Short 0.3 BTC at the bid 42,999.5: notional 12,899.85; taker fee 0.05% = 6.449925.
    expect(rejects(h.order(trader, 'BTCUSDT', 'SELL', 'MARKET', '0.3'))).toEqual([]);
    expect(view().crossWalletE8).toBe(usd('143.550075'));
    // LP = (W + cum + |C|) / (|s| (1 + MMR)) = (143.550075 + 0 + 12,899.85) / (0.3 × 1.004) = 43,304.78
    const exact = view().positions[0]!.liquidationPrice!;
    expect(exact.num / exact.den).toBe(433047n);
    expect(view().positions[0]!.liquidationPriceTicks).toBe(433048);

    // 2. Price falls to 42,000: unrealized profit 0.3 × (42,999.5 − 42,000) = 299.85.
    market.move('42500');
    market.move('42000');
    expect(view().unrealizedPnlE8).toBe(usd('299.85'));
    // Available = 143.550075 + 299.85 − IM 126 = 317.400075: the profit backs a bigger short...
    expect(view().availableE8).toBe(usd('317.400075'));
    // ...which an identical account without that profit cannot open.
    expect(rejects(h.order(twin, 'BTCUSDT', 'SELL', 'MARKET', '0.6')).map((r) => r.code)).toEqual([-2019]);
    expect(rejects(h.order(trader, 'BTCUSDT', 'SELL', 'MARKET', '0.6'))).toEqual([]);
    // Roll 1: 0.6 at 41,999.5 = 25,199.7 notional, fee 12.59985 → wallet 130.950225, size 0.9, cost 38,099.55.
    expect(view().crossWalletE8).toBe(usd('130.950225'));
    expect(view().positions[0]!.costE8).toBe(-usd('38099.55'));
    // LP = (130.950225 + 38,099.55) / (0.9 × 1.004) = 42,309.1...
    expect(view().positions[0]!.liquidationPriceTicks).toBe(423091);

    // 3. Price falls to 41,000: profit 0.9 × 42,332.83 − 0.9 × 41,000 = 1,199.55; roll 2: 1.2 BTC more.
    market.move('41500');
    market.move('41000');
    expect(view().unrealizedPnlE8).toBe(usd('1199.55'));
    expect(rejects(h.order(trader, 'BTCUSDT', 'SELL', 'MARKET', '1.2'))).toEqual([]);
    // 1.2 at 40,999.5 = 49,199.4 notional, fee 24.5997 → wallet 106.350525; size 2.1; cost 87,298.95.
    expect(view().crossWalletE8).toBe(usd('106.350525'));
    expect(view().positions[0]!.sizeLots).toBe(-2100);
    // Notional ≈ 87k is bracket 2 (MMR 0.5%, cum 50): LP = (106.350525 + 50 + 87,298.95) / (2.1 × 1.005) = 41,438.19
    expect(view().positions[0]!.liquidationPriceTicks).toBe(414382);
    expect(view().positions[0]!.bracket).toBe(2);

    // 4. The rebound. Below the liquidation price nothing happens...
    for (const index of ['41100', '41200', '41300', '41400']) {
      market.move(index);
      expect(view().positions[0]!.sizeLots).toBe(-2100);
    }
    expect(ofType(h.log, 'Liquidation')).toEqual([]);
    // ...the first mark above 41,438.19 liquidates him, inside that same minute.
    const before = h.log.length;
    market.move('41500');
    const liquidation = ofType(h.log.slice(before), 'Liquidation');
    expect(liquidation).toHaveLength(1);
    const event = liquidation[0]!;
    // At mark 41,500: equity 106.350525 + (87,298.95 − 87,150) = 255.300525 ≤ MM 87,150 × 0.5% − 50 = 385.75.
    expect(event.markTicks).toBe(415000);
    expect(event.marginBalanceE8).toBe(usd('255.300525'));
    expect(event.maintenanceMarginE8).toBe(usd('385.75'));
    // Bankruptcy price (106.350525 + 87,298.95) / 2.1 = 41,621.57, rounded down for a short.
    expect(event.bankruptcyPriceTicks).toBe(416215);
    // The IOC buys 2.1 at the ask 41,500.5 = 87,151.05: realized 147.9, wallet 254.250525; the
    // liquidation fee (1.25% = 1,089.39) takes all remaining equity into the insurance fund.
    expect(event.bookFilledLots).toBe(2100);
    expect(event.bookNotionalE8).toBe(usd('87151.05'));
    expect(event.feeE8).toBe(usd('254.250525'));
    expect(event.insuranceDeltaE8).toBe(usd('254.250525'));
    expect(event.adl).toEqual([]);
    expect(view().crossWalletE8).toBe(0n);
    expect(view().positions[0]!.sizeLots).toBe(0);
    // Final loss: the whole 150 USDT.
    expect(view().crossWalletE8 - usd('150')).toBe(-usd('150'));
    expect(h.engine.checkInvariants()).toEqual([]);
  });
});
