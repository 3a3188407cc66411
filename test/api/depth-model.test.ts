/**
 * The published order book (derived from committed OrderUpdate events only) equals the engine's
 * book after every command of a random workload of limit, IOC, post-only, market, amend, cancel and
 * stop-limit orders, and its lastUpdateId moves exactly when a level changes.
 */
import { describe, expect, it } from 'vitest';
import { createOrderBook, DEFAULT_INSTRUMENTS, Engine, type UnsequencedCommand } from '../../src/core/index.js';
import { KlineModel } from '../../src/api/read-models/klines.js';
import { MarketModel } from '../../src/api/read-models/market.js';
import { Projector } from '../../src/api/read-models/projector.js';
import { ReadStore } from '../../src/api/read-models/store.js';
import { MemoryVenue, } from '../../src/venue/memory-venue.js';
import { MonotonicClock } from '../../src/venue/venue.js';
import { seeded } from './support/fuzz.js';


describe('depth read model', () => {
  it('matches the engine book after every command of a random workload', async () => {
    let now = Date.UTC(2026, 0, 1);
    const engine = new Engine({ instruments: DEFAULT_INSTRUMENTS, bookFactory: createOrderBook });
    const venue = new MemoryVenue(engine, new MonotonicClock(() => now));
    const store = new ReadStore(undefined);
    const market = new MarketModel(engine);
    const projector = new Projector(venue, store, new KlineModel(store), market);
    await projector.start();
    const run = (command: UnsequencedCommand): void => { venue.submitSync(command); };
    run({ type: 'SetIndexPrice', symbol: 'BTCUSDT', priceTicks: 600_000 });
    const accounts: number[] = [];
    for (let i = 0; i < 4; i++) {
      const events = venue.submitSync({ type: 'CreateAccount', parentAccountId: 0 }).events;
      const id = (events[0] as { accountId: number }).accountId;
      accounts.push(id);
      run({ type: 'Deposit', accountId: id, amountE8: 10_000_000n * 100_000_000n });
    }
    const random = seeded(42);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const book = market.get('BTCUSDT')!.depth;
    for (let step = 0; step < 3000; step++) {
      now += Math.floor(random() * 300);
      const accountId = pick(accounts);
      const live = engine.openOrders(accountId, 'BTCUSDT');
      const roll = random();
      const price = 600_000 + Math.floor((random() - 0.5) * 400);
      const side = random() < 0.5 ? 'BUY' as const : 'SELL' as const;
      const base = {
        type: 'PlaceOrder' as const, accountId, symbol: 'BTCUSDT', side, timeInForce: 'GTC' as const, qtyLots: 1 + Math.floor(random() * 20),
        priceTicks: price, stopPriceTicks: 0, activationPriceTicks: 0, callbackRateBps: 0, reduceOnly: false, closePosition: false,
        workingType: 'CONTRACT_PRICE' as const, priceProtect: false, stpMode: 'NONE' as const, clientOrderId: '',
      };
      const before = book.lastUpdateId;
      let seq: number;
      if (roll < 0.45) seq = venue.submitSync({ ...base, orderType: 'LIMIT' }).seq;
      else if (roll < 0.55) seq = venue.submitSync({ ...base, orderType: 'LIMIT', timeInForce: pick(['IOC', 'FOK', 'GTX'] as const) }).seq;
      else if (roll < 0.62) seq = venue.submitSync({ ...base, orderType: 'MARKET', priceTicks: 0 }).seq;
      else if (roll < 0.68) {
        const stop = side === 'BUY' ? price + 50 : price - 50;
        seq = venue.submitSync({ ...base, orderType: 'STOP', stopPriceTicks: stop }).seq;
      } else if (roll < 0.8 && live.length > 0) {
        const order = pick(live);
        seq = venue.submitSync({ type: 'CancelOrder', accountId, symbol: 'BTCUSDT', orderId: order.orderId, clientOrderId: '' }).seq;
      } else if (roll < 0.92 && live.length > 0) {
        const order = pick(live);
        seq = venue.submitSync({ type: 'AmendOrder', accountId, symbol: 'BTCUSDT', orderId: order.orderId, clientOrderId: '',
          qtyLots: order.executedQtyLots + 1 + Math.floor(random() * 10), priceTicks: price }).seq;
      } else {
        seq = venue.submitSync({ type: 'Tick' }).seq;
      }
      const expected = engine.depth('BTCUSDT', 10_000);
      const actual = book.top(10_000);
      expect(actual.bids).toEqual(expected.bids.map((level) => [level.priceTicks, level.qtyLots]));
      expect(actual.asks).toEqual(expected.asks.map((level) => [level.priceTicks, level.qtyLots]));
      expect(book.bestBid()).toEqual(actual.bids[0]);
      expect(book.bestAsk()).toEqual(actual.asks[0]);
      expect([before, seq]).toContain(book.lastUpdateId);
    }
    projector.stop();
    store.close();
  });
});
