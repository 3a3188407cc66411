/**
 * Engine-level order semantics, table by table: every order type, time in force, STP mode,
 * reduce-only / close-position, cancel and amend, client order ids, and every filter's reject code.
 * Each reject is also checked to leave the state unchanged (a twin engine that received a Tick
 * instead of the rejected command must have the same stateHash).
 */
import { describe, expect, it } from 'vitest';
import { BUY, SELL } from '../../src/core/book/types.js';
import { checkPercentPrice, marketProtectionLimit } from '../../src/core/engine/order-checks.js';
import { BTCUSDT } from '../../src/core/instrument/catalog.js';
import type { InstrumentSpec } from '../../src/core/instrument/instrument.js';
import type { EngineEvent } from '../../src/core/engine/events.js';
import { Harness, ofType, rejects, usd } from '../support/engine-harness.js';

/** Maker M rests 1 BTC asks at 50,010 / 50,020 / 50,030 and bids at 49,990 / 49,980 / 49,970. */
function market(spec: InstrumentSpec = BTCUSDT): { h: Harness; maker: number; trader: number; other: number } {
  const h = new Harness([spec]);
  const maker = h.createAccount('10000000');
  const trader = h.createAccount('100000');
  const other = h.createAccount('100000');
  h.index('BTCUSDT', '50000');
  for (const price of ['50010', '50020', '50030']) h.order(maker, 'BTCUSDT', 'SELL', 'LIMIT', '1', { price });
  for (const price of ['49990', '49980', '49970']) h.order(maker, 'BTCUSDT', 'BUY', 'LIMIT', '1', { price });
  return { h, maker, trader, other };
}

function trades(events: readonly EngineEvent[]): [number, number][] {
  return ofType(events, 'Trade').map((trade) => [trade.priceTicks, trade.qtyLots]);
}

function lastUpdate(events: readonly EngineEvent[], orderId?: number) {
  const updates = ofType(events, 'OrderUpdate').filter((u) => orderId === undefined || u.order.orderId === orderId);
  return updates.at(-1);
}

function codes(events: readonly EngineEvent[]): number[] {
  return rejects(events).map((r) => r.code);
}

/** Runs `act` on one harness and a Tick on a twin built the same way; both must end identical. */
function expectRejectLeavesStateUnchanged(
  build: () => { h: Harness; trader: number }, act: (h: Harness, trader: number) => EngineEvent[], code: number,
): void {
  const a = build();
  const b = build();
  expect(codes(act(a.h, a.trader))).toEqual([code]);
  b.h.advance(0);
  expect(a.h.engine.stateHash()).toBe(b.h.engine.stateHash());
}

describe('limit orders and time in force', () => {
  it('GTC crossing fills at the maker prices (price improvement), then rests the rest', () => {
    const { h, trader } = market();
    const events = h.order(trader, 'BTCUSDT', 'BUY', 'LIMIT', '2.5', { price: '50025' });
    expect(trades(events)).toEqual([[500100, 1000], [500200, 1000]]);
    const update = lastUpdate(events)!;
    expect(update.order.status).toBe('PARTIALLY_FILLED');
    expect(h.engine.depth('BTCUSDT', 1).bids[0]).toEqual({ priceTicks: 500250, qtyLots: 500 });
  });

  it('IOC fills what crosses and expires the rest', () => {
    const { h, trader } = market();
    const events = h.order(trader, 'BTCUSDT', 'BUY', 'LIMIT', '2.5', { price: '50020', timeInForce: 'IOC' });
    expect(trades(events)).toEqual([[500100, 1000], [500200, 1000]]);
    expect(lastUpdate(events)).toMatchObject({ execution: 'EXPIRED', reason: 'IOC' });
    expect(h.engine.openOrders(trader)).toEqual([]);
  });

  it('FOK fills completely or is rejected with -5021 and no change', () => {
    const { h, trader } = market();
    expect(trades(h.order(trader, 'BTCUSDT', 'BUY', 'LIMIT', '3', { price: '50030', timeInForce: 'FOK' })))
      .toEqual([[500100, 1000], [500200, 1000], [500300, 1000]]);
    expectRejectLeavesStateUnchanged(market,
      (hh, t) => hh.order(t, 'BTCUSDT', 'BUY', 'LIMIT', '3.001', { price: '50030', timeInForce: 'FOK' }), -5021);
  });

  it('GTX (post-only) rests when it would not take, and is rejected with -5022 when it would', () => {
    const { h, trader } = market();
    expect(codes(h.order(trader, 'BTCUSDT', 'BUY', 'LIMIT', '1', { price: '50000', timeInForce: 'GTX' }))).toEqual([]);
    expect(h.engine.openOrders(trader)).toHaveLength(1);
    expectRejectLeavesStateUnchanged(market,
      (hh, t) => hh.order(t, 'BTCUSDT', 'BUY', 'LIMIT', '1', { price: '50010', timeInForce: 'GTX' }), -5022);
  });
});

describe('market orders and protection', () => {
  it('sweeps the book within the band; the unfilled remainder expires', () => {
    const { h, trader } = market();
    const events = h.order(trader, 'BTCUSDT', 'BUY', 'MARKET', '3.5');
    expect(trades(events)).toEqual([[500100, 1000], [500200, 1000], [500300, 1000]]);
    expect(lastUpdate(events)).toMatchObject({ execution: 'EXPIRED', reason: 'MARKET_REMAINDER' });
  });

  it('never trades beyond mark × (1 ± 5%): a best price outside the band is rejected with -4131', () => {
    const build = () => {
      const h = new Harness([BTCUSDT]);
      const maker = h.createAccount('10000000');
      const trader = h.createAccount('100000');
      h.index('BTCUSDT', '50000');
      h.order(maker, 'BTCUSDT', 'SELL', 'LIMIT', '1', { price: '52400' });
      h.index('BTCUSDT', '49000');
      h.advance(1000);
      return { h, trader };
    };
    expect(build().h.engine.market('BTCUSDT').markTicks).toBe(490000);
    expectRejectLeavesStateUnchanged(build, (hh, t) => hh.order(t, 'BTCUSDT', 'BUY', 'MARKET', '1'), -4131);
  });
});

describe('conditional orders', () => {
  it('STOP_MARKET SELL fires when the last price falls to its stop and becomes a market order', () => {
    const { h, maker, trader, other } = market();
    h.order(trader, 'BTCUSDT', 'SELL', 'STOP_MARKET', '0.5', { stopPrice: '49985' });
    expect(h.engine.openOrders(trader)[0]).toMatchObject({ conditional: true, triggered: false });
    h.order(other, 'BTCUSDT', 'SELL', 'MARKET', '1');
    // Last 49,990 > 49,985: nothing yet. The next sale prints 49,980 and fires the stop.
    expect(h.engine.openOrders(trader)).toHaveLength(1);
    const events = h.order(other, 'BTCUSDT', 'SELL', 'MARKET', '0.5');
    const fired = ofType(events, 'OrderUpdate').filter((u) => u.order.accountId === trader);
    expect(fired.map((u) => u.execution)).toEqual(['TRIGGERED', 'TRADE']);
    expect(fired.at(-1)!.lastPriceTicks).toBe(499800);
    void maker;
  });

  it('STOP (limit) BUY fires on a rise and rests at its limit', () => {
    const { h, trader, other } = market();
    h.order(trader, 'BTCUSDT', 'BUY', 'STOP', '0.5', { stopPrice: '50015', price: '50015' });
    h.order(other, 'BTCUSDT', 'BUY', 'MARKET', '1.5');
    const order = h.engine.openOrders(trader)[0]!;
    expect(order).toMatchObject({ triggered: true, status: 'NEW', priceTicks: 500150 });
  });

  it('TAKE_PROFIT_MARKET SELL fires on a rise to the stop; TAKE_PROFIT BUY fires on a fall', () => {
    const { h, trader, other } = market();
    h.order(trader, 'BTCUSDT', 'SELL', 'TAKE_PROFIT_MARKET', '0.1', { stopPrice: '50015' });
    h.order(trader, 'BTCUSDT', 'BUY', 'TAKE_PROFIT', '0.1', { stopPrice: '49985', price: '49975' });
    h.order(other, 'BTCUSDT', 'BUY', 'MARKET', '1.5');
    expect(ofType(h.log, 'OrderUpdate').filter((u) => u.order.orderType === 'TAKE_PROFIT_MARKET')
      .map((u) => u.execution)).toContain('TRIGGERED');
    h.order(other, 'BTCUSDT', 'SELL', 'MARKET', '1.5');
    const takeProfit = h.engine.openOrders(trader).find((o) => o.orderType === 'TAKE_PROFIT');
    expect(takeProfit).toMatchObject({ triggered: true, priceTicks: 499750 });
  });

  it('rejects a stop that would trigger immediately with -2021', () => {
    expectRejectLeavesStateUnchanged(() => {
      const m = market();
      m.h.order(m.other, 'BTCUSDT', 'BUY', 'MARKET', '0.5');
      return m;
    }, (h, t) => h.order(t, 'BTCUSDT', 'BUY', 'STOP_MARKET', '1', { stopPrice: '50005' }), -2021);
    expectRejectLeavesStateUnchanged(market, (h, t) => h.order(t, 'BTCUSDT', 'SELL', 'TRAILING_STOP_MARKET', '1',
      { activationPrice: '49000', callbackRateBps: 100 }), -2021);
  });

  it('TRAILING_STOP_MARKET SELL activates at its price, tracks the high and fires on the callback', () => {
    const h = new Harness([BTCUSDT]);
    const maker = h.createAccount('10000000');
    const trader = h.createAccount('100000');
    const taker = h.createAccount('1000000');
    h.index('BTCUSDT', '50000');
    h.order(trader, 'BTCUSDT', 'SELL', 'TRAILING_STOP_MARKET', '0.1', { activationPrice: '50100', callbackRateBps: 100 });
    const print = (price: string): void => {
      h.order(maker, 'BTCUSDT', 'SELL', 'LIMIT', '0.01', { price });
      h.order(taker, 'BTCUSDT', 'BUY', 'MARKET', '0.01');
    };
    h.order(maker, 'BTCUSDT', 'BUY', 'LIMIT', '1', { price: '49000' });
    for (const price of ['50050', '50100', '50600', '50400']) print(price);
    expect(h.engine.openOrders(trader)).toHaveLength(1);
    // High 50,600; 1% callback → fires at or below 50,094.
    const sell = (price: string): EngineEvent[] => {
      h.order(maker, 'BTCUSDT', 'BUY', 'LIMIT', '0.01', { price });
      return h.order(taker, 'BTCUSDT', 'SELL', 'MARKET', '0.01');
    };
    expect(ofType(sell('50095'), 'OrderUpdate').some((u) => u.execution === 'TRIGGERED')).toBe(false);
    expect(ofType(sell('50094'), 'OrderUpdate').some((u) => u.execution === 'TRIGGERED')).toBe(true);
  });

  it('MARK_PRICE conditional orders wait for the mark, not the last trade', () => {
    const { h, trader, other } = market();
    h.order(trader, 'BTCUSDT', 'SELL', 'STOP_MARKET', '0.1', { stopPrice: '49500', workingType: 'MARK_PRICE' });
    h.order(other, 'BTCUSDT', 'SELL', 'MARKET', '3');
    expect(h.engine.market('BTCUSDT').lastTicks).toBe(499700);
    expect(h.engine.openOrders(trader)[0]?.triggered).toBe(false);
    h.index('BTCUSDT', '49400');
    h.advance(60_000);
    expect(ofType(h.log, 'OrderUpdate').some((u) => u.order.accountId === trader && u.execution === 'TRIGGERED')).toBe(true);
  });
});

describe('reduce-only and close-position', () => {
  it('a reduce-only order needs a position to reduce (-2022); a larger one is clipped to the position', () => {
    expectRejectLeavesStateUnchanged(market, (h, t) => h.order(t, 'BTCUSDT', 'SELL', 'LIMIT', '1',
      { price: '50100', reduceOnly: true }), -2022);
    const withLong = () => {
      const m = market();
      m.h.order(m.trader, 'BTCUSDT', 'BUY', 'MARKET', '0.5');
      return m;
    };
    // Binance clips a reduce-only limit larger than the position to the position.
    const { h, trader } = withLong();
    const events = h.order(trader, 'BTCUSDT', 'SELL', 'LIMIT', '0.6', { price: '50100', reduceOnly: true });
    expect(rejects(events)).toEqual([]);
    expect(h.engine.openOrders(trader).map((order) => order.origQtyLots)).toEqual([500]);
    expectRejectLeavesStateUnchanged(withLong, (h, t) => h.order(t, 'BTCUSDT', 'BUY', 'LIMIT', '0.1',
      { price: '49000', reduceOnly: true }), -2022);
  });

  it('a reduce-only market order is clipped to the position, and resting ones are knocked out when it closes', () => {
    const { h, trader } = market();
    h.order(trader, 'BTCUSDT', 'BUY', 'MARKET', '0.5');
    h.order(trader, 'BTCUSDT', 'SELL', 'LIMIT', '0.5', { price: '50500', reduceOnly: true });
    const events = h.order(trader, 'BTCUSDT', 'SELL', 'MARKET', '2', { reduceOnly: true });
    expect(trades(events)).toEqual([[499900, 500]]);
    expect(h.position(trader, 'BTCUSDT')!.sizeLots).toBe(0);
    expect(ofType(events, 'OrderUpdate').filter((u) => u.reason === 'REDUCE_ONLY')).toHaveLength(1);
    expect(h.engine.openOrders(trader)).toEqual([]);
  });

  it('closePosition STOP_MARKET closes whatever the position is when it fires; quantity is not allowed', () => {
    const { h, trader, other } = market();
    h.order(trader, 'BTCUSDT', 'BUY', 'MARKET', '0.7');
    h.order(trader, 'BTCUSDT', 'SELL', 'STOP_MARKET', '0', { stopPrice: '49985', closePosition: true });
    h.order(other, 'BTCUSDT', 'SELL', 'MARKET', '1.5');
    expect(h.position(trader, 'BTCUSDT')!.sizeLots).toBe(0);
    expectRejectLeavesStateUnchanged(market, (hh, t) => hh.order(t, 'BTCUSDT', 'SELL', 'STOP_MARKET', '1',
      { stopPrice: '49000', closePosition: true }), -4136);
  });
});

describe('self-trade prevention', () => {
  const cases: [string, number[], string[]][] = [
    // mode, trades [price], which of (taker rest, maker rest) survive
    ['NONE', [500100], ['maker-gone']],
    ['EXPIRE_TAKER', [], ['maker-kept', 'taker-expired']],
    ['EXPIRE_MAKER', [500200], ['maker-gone']],
    ['EXPIRE_BOTH', [], ['maker-gone', 'taker-expired']],
  ];
  for (const [mode, prices, outcome] of cases) {
    it(`${mode}`, () => {
      const h = new Harness([BTCUSDT]);
      const self = h.createAccount('1000000');
      const maker = h.createAccount('1000000');
      h.index('BTCUSDT', '50000');
      h.order(self, 'BTCUSDT', 'SELL', 'LIMIT', '1', { price: '50010' });
      h.order(maker, 'BTCUSDT', 'SELL', 'LIMIT', '1', { price: '50020' });
      const events = h.order(self, 'BTCUSDT', 'BUY', 'LIMIT', '1', { price: '50020', timeInForce: 'IOC',
        stpMode: mode as 'NONE' });
      expect(ofType(events, 'Trade').map((t) => t.priceTicks)).toEqual(prices);
      const ownAsk = h.engine.openOrders(self).some((o) => o.side === 'SELL');
      expect(ownAsk).toBe(outcome.includes('maker-kept'));
      if (outcome.includes('taker-expired')) expect(lastUpdate(events)).toMatchObject({ execution: 'EXPIRED', reason: 'STP' });
    });
  }
});

describe('cancel, amend, client order ids', () => {
  it('cancels by id and by client id; another account\'s order is unknown (-2011)', () => {
    const { h, maker, trader } = market();
    h.order(trader, 'BTCUSDT', 'BUY', 'LIMIT', '1', { price: '49000', clientOrderId: 'mine-1' });
    const makerOrder = h.engine.openOrders(maker)[0]!;
    expect(codes(h.run({ type: 'CancelOrder', accountId: trader, symbol: 'BTCUSDT', orderId: makerOrder.orderId, clientOrderId: '' })))
      .toEqual([-2011]);
    expect(codes(h.run({ type: 'CancelOrder', accountId: trader, symbol: 'BTCUSDT', orderId: 0, clientOrderId: 'mine-1' })))
      .toEqual([]);
    expect(h.engine.openOrders(trader)).toEqual([]);
    expect(h.engine.openOrders(maker)).toHaveLength(6);
  });

  it('cancel-all cancels one symbol, optionally only conditional or only regular orders', () => {
    const { h, trader } = market();
    h.order(trader, 'BTCUSDT', 'BUY', 'LIMIT', '1', { price: '49000' });
    h.order(trader, 'BTCUSDT', 'BUY', 'STOP_MARKET', '1', { stopPrice: '51000' });
    h.run({ type: 'CancelAllOrders', accountId: trader, symbol: 'BTCUSDT', scope: 'CONDITIONAL' });
    expect(h.engine.openOrders(trader).map((o) => o.orderType)).toEqual(['LIMIT']);
    h.run({ type: 'CancelAllOrders', accountId: trader, symbol: 'BTCUSDT', scope: 'ALL' });
    expect(h.engine.openOrders(trader)).toEqual([]);
  });

  it('client order ids are unique among live orders (-4116), reusable after, and validated (-4015)', () => {
    const { h, trader } = market();
    h.order(trader, 'BTCUSDT', 'BUY', 'LIMIT', '1', { price: '49000', clientOrderId: 'abc' });
    expect(codes(h.order(trader, 'BTCUSDT', 'BUY', 'LIMIT', '1', { price: '49000', clientOrderId: 'abc' }))).toEqual([-4116]);
    h.run({ type: 'CancelOrder', accountId: trader, symbol: 'BTCUSDT', orderId: 0, clientOrderId: 'abc' });
    expect(codes(h.order(trader, 'BTCUSDT', 'BUY', 'LIMIT', '1', { price: '49000', clientOrderId: 'abc' }))).toEqual([]);
    expect(codes(h.order(trader, 'BTCUSDT', 'BUY', 'LIMIT', '1', { price: '49000', clientOrderId: 'no spaces' }))).toEqual([-4015]);
  });

  it('generated client ids (perpx-<orderId>) address their order, clash with a client copy, and survive a snapshot', () => {
    const { h, trader, other } = market();
    const placed = lastUpdate(h.order(trader, 'BTCUSDT', 'BUY', 'LIMIT', '1', { price: '49000' }))!.order;
    expect(placed.clientOrderId).toBe(`perpx-${placed.orderId}`);
    // A client may not reuse a live generated id, nor reach another account's order through it.
    expect(codes(h.order(trader, 'BTCUSDT', 'BUY', 'LIMIT', '1', { price: '49000', clientOrderId: placed.clientOrderId })))
      .toEqual([-4116]);
    expect(codes(h.order(other, 'BTCUSDT', 'BUY', 'LIMIT', '1', { price: '49000', clientOrderId: placed.clientOrderId })))
      .toEqual([]);
    expect(codes(h.run({ type: 'CancelOrder', accountId: other, symbol: 'BTCUSDT', orderId: 0, clientOrderId: placed.clientOrderId })))
      .toEqual([]);
    expect(h.engine.openOrders(trader).map((order) => order.orderId)).toEqual([placed.orderId]);
    // Look-alikes that are not a generated id of a live order are unknown.
    for (const lookalike of [`perpx-0${placed.orderId}`, 'perpx-', `perpx-${placed.orderId}x`]) {
      expect(codes(h.run({ type: 'CancelOrder', accountId: trader, symbol: 'BTCUSDT', orderId: 0, clientOrderId: lookalike })))
        .toEqual([-2011]);
    }
    // An id the client chose in the generated form of a future order id blocks that order's generated id.
    const nextId = h.engine.ctx.nextOrderId;
    h.order(trader, 'BTCUSDT', 'BUY', 'LIMIT', '1', { price: '48000', clientOrderId: `perpx-${nextId + 1}` });
    expect(codes(h.order(trader, 'BTCUSDT', 'BUY', 'LIMIT', '1', { price: '48000' }))).toEqual([-4116]);
    // After a snapshot round trip, lookups by generated and chosen ids still work.
    const restored = new Harness([BTCUSDT], h.now);
    restored.engine.restore(h.engine.serialize());
    restored.seq = h.seq;
    expect(restored.engine.stateHash()).toBe(h.engine.stateHash());
    for (const clientOrderId of [placed.clientOrderId, `perpx-${nextId + 1}`]) {
      expect(codes(restored.run({ type: 'CancelOrder', accountId: trader, symbol: 'BTCUSDT', orderId: 0, clientOrderId })))
        .toEqual([]);
    }
    expect(restored.engine.openOrders(trader)).toEqual([]);
    expect(restored.engine.checkInvariants(true)).toEqual([]);
  });

  it('amend: a smaller quantity at the same price keeps time priority; a new price loses it', () => {
    const h = new Harness([BTCUSDT]);
    const first = h.createAccount('1000000');
    const second = h.createAccount('1000000');
    const taker = h.createAccount('1000000');
    h.index('BTCUSDT', '50000');
    h.order(first, 'BTCUSDT', 'SELL', 'LIMIT', '1', { price: '50010' });
    h.order(second, 'BTCUSDT', 'SELL', 'LIMIT', '1', { price: '50010' });
    const firstId = h.engine.openOrders(first)[0]!.orderId;
    const amend = (qty: string, price: string) => h.run({ type: 'AmendOrder', accountId: first, symbol: 'BTCUSDT',
      orderId: firstId, clientOrderId: '', qtyLots: h.lots('BTCUSDT', qty), priceTicks: h.px('BTCUSDT', price) });
    expect(codes(amend('0.5', '50010'))).toEqual([]);
    let fills = ofType(h.order(taker, 'BTCUSDT', 'BUY', 'MARKET', '0.1'), 'Trade');
    expect(fills[0]!.makerAccountId).toBe(first);
    expect(codes(amend('0.5', '50010'))).toEqual([-5027]);
    expect(codes(amend('0.4', '50011'))).toEqual([]);
    expect(codes(amend('0.4', '50010'))).toEqual([]);
    fills = ofType(h.order(taker, 'BTCUSDT', 'BUY', 'MARKET', '0.1'), 'Trade');
    expect(fills[0]!.makerAccountId).toBe(second);
  });

  it('amend to a crossing price matches at once; for post-only it is rejected with -5022', () => {
    const { h, trader } = market();
    h.order(trader, 'BTCUSDT', 'BUY', 'LIMIT', '1', { price: '49000' });
    const id = h.engine.openOrders(trader)[0]!.orderId;
    const events = h.run({ type: 'AmendOrder', accountId: trader, symbol: 'BTCUSDT', orderId: id, clientOrderId: '',
      qtyLots: 1000, priceTicks: 500100 });
    expect(trades(events)).toEqual([[500100, 1000]]);
    h.order(trader, 'BTCUSDT', 'BUY', 'LIMIT', '1', { price: '49000', timeInForce: 'GTX' });
    const gtx = h.engine.openOrders(trader)[0]!.orderId;
    expect(codes(h.run({ type: 'AmendOrder', accountId: trader, symbol: 'BTCUSDT', orderId: gtx, clientOrderId: '',
      qtyLots: 1000, priceTicks: 500200 }))).toEqual([-5022]);
  });
});

describe('PERCENT_PRICE bounds', () => {
  it('accept a limit exactly at mark × 1.05 (buy) and mark × 0.95 (sell), and follow the mark', () => {
    const { h, trader } = market();
    expect(codes(h.order(trader, 'BTCUSDT', 'BUY', 'LIMIT', '0.01', { price: '52500' }))).toEqual([]);
    expect(codes(h.order(trader, 'BTCUSDT', 'SELL', 'LIMIT', '0.01', { price: '47500' }))).toEqual([]);
    // The bounds are cached per mark; whenever the mark moves they must follow it.
    const btc = h.engine.market('BTCUSDT');
    for (const mark of [600_000, 431_111, 500_000]) {
      btc.markTicks = mark;
      const maxBuy = Math.floor((mark * 105) / 100);
      const minSell = Math.ceil((mark * 95) / 100);
      expect(checkPercentPrice(btc, BUY, maxBuy)).toBeUndefined();
      expect(checkPercentPrice(btc, BUY, maxBuy + 1)?.code).toBe(-4016);
      expect(checkPercentPrice(btc, SELL, minSell)).toBeUndefined();
      expect(checkPercentPrice(btc, SELL, minSell - 1)?.code).toBe(-4024);
    }
  });

  it('market-protection limits follow the mark (cached per mark, both bounds, both sides)', () => {
    const { h } = market();
    const btc = h.engine.market('BTCUSDT');
    for (const mark of [600_000, 431_111, 500_000, 9_999]) {
      btc.markTicks = mark;
      for (const liquidation of [false, true]) {
        const bound = liquidation ? btc.instrument.liquidationTakeBoundE8 : btc.instrument.marketTakeBoundE8;
        const buy = Number((BigInt(mark) * (100_000_000n + bound)) / 100_000_000n);
        const sellExact = BigInt(mark) * (100_000_000n - bound);
        const sell = Number(sellExact / 100_000_000n + (sellExact % 100_000_000n === 0n ? 0n : 1n));
        expect(marketProtectionLimit(btc, BUY, liquidation)).toBe(Math.min(buy, btc.instrument.maxPriceTicks));
        expect(marketProtectionLimit(btc, SELL, liquidation)).toBe(Math.max(sell, btc.instrument.minPriceTicks));
      }
    }
  });
});

describe('filters reject with their Binance code and change nothing', () => {
  const base = (): { h: Harness; trader: number } => market({ ...BTCUSDT, maxOpenOrders: 2, maxAlgoOrders: 1 });
  const cases: [string, number, (h: Harness, trader: number) => EngineEvent[]][] = [
    ['min notional', -4164, (h, t) => h.order(t, 'BTCUSDT', 'BUY', 'LIMIT', '0.001', { price: '49000' })],
    ['price below min', -4013, (h, t) => h.order(t, 'BTCUSDT', 'BUY', 'LIMIT', '1', { price: '556.7' })],
    ['price above band', -4016, (h, t) => h.order(t, 'BTCUSDT', 'SELL', 'LIMIT', '1', { price: '4529765' })],
    ['buy above mark × 1.05', -4016, (h, t) => h.order(t, 'BTCUSDT', 'BUY', 'LIMIT', '0.01', { price: '52500.1' })],
    ['sell below mark × 0.95', -4024, (h, t) => h.order(t, 'BTCUSDT', 'SELL', 'LIMIT', '0.01', { price: '47499.9' })],
    ['quantity zero', -4003, (h, t) => h.order(t, 'BTCUSDT', 'BUY', 'LIMIT', '0', { price: '49000' })],
    ['market quantity above 120', -4005, (h, t) => h.order(t, 'BTCUSDT', 'BUY', 'MARKET', '120.001')],
    ['limit without price', -1102, (h, t) => h.order(t, 'BTCUSDT', 'BUY', 'LIMIT', '1')],
    ['market with price', -1106, (h, t) => h.order(t, 'BTCUSDT', 'BUY', 'MARKET', '1', { price: '50000' })],
    ['unknown symbol', -1121, (h, t) => h.run({ type: 'CancelAllOrders', accountId: t, symbol: 'DOGEUSDT', scope: 'ALL' })],
    ['callback rate', -2007, (h, t) => h.order(t, 'BTCUSDT', 'SELL', 'TRAILING_STOP_MARKET', '1', { callbackRateBps: 5 })],
    ['insufficient margin', -2019, (h, t) => h.order(t, 'BTCUSDT', 'BUY', 'LIMIT', '50', { price: '49000' })],
    ['position limit at leverage', -2027, (h, t) => {
      // At 100x the position may not exceed the 600,000 cap of bracket 2; 20 BTC is 980,000.
      h.run({ type: 'SetLeverage', accountId: t, symbol: 'BTCUSDT', leverage: 100 });
      return h.order(t, 'BTCUSDT', 'BUY', 'LIMIT', '20', { price: '49000' });
    }],
    ['max open orders', -2025, (h, t) => {
      h.order(t, 'BTCUSDT', 'BUY', 'LIMIT', '0.01', { price: '49000' });
      h.order(t, 'BTCUSDT', 'BUY', 'LIMIT', '0.01', { price: '49001' });
      return h.order(t, 'BTCUSDT', 'BUY', 'LIMIT', '0.01', { price: '49002' });
    }],
    ['max algo orders', -4045, (h, t) => {
      h.order(t, 'BTCUSDT', 'BUY', 'STOP_MARKET', '0.01', { stopPrice: '51000' });
      return h.order(t, 'BTCUSDT', 'BUY', 'STOP_MARKET', '0.01', { stopPrice: '51001' });
    }],
    ['invalid leverage', -4028, (h, t) => h.run({ type: 'SetLeverage', accountId: t, symbol: 'BTCUSDT', leverage: 126 })],
    ['withdraw beyond withdrawable', -2018, (h, t) => h.run({ type: 'Withdraw', accountId: t, amountE8: usd('100000.00000001') })],
    ['unchanged margin type', -4046, (h, t) => h.run({ type: 'SetMarginType', accountId: t, symbol: 'BTCUSDT', marginType: 'CROSSED' })],
  ];
  for (const [name, code, act] of cases) {
    it(`${name} → ${code}`, () => {
      // Setup steps inside `act` run on both engines; only the final command differs.
      const a = base();
      const b = base();
      const events = act(a.h, a.trader);
      expect(codes(events)).toEqual([code]);
      // The twin replays every command of `act` but the last, and a Tick in place of the last.
      const setup = buildTwin(act, b.h, b.trader);
      expect(a.h.engine.stateHash()).toBe(setup.engine.stateHash());
    });
  }
});

/** Re-runs `act` on `h` but swaps its final command for a Tick at the same time. */
function buildTwin(act: (h: Harness, trader: number) => EngineEvent[], h: Harness, trader: number): Harness {
  const realRun = h.run.bind(h);
  let pending: (() => void) | undefined;
  h.run = ((command, atMs) => {
    if (pending !== undefined) pending();
    pending = () => realRun(command, atMs);
    return [];
  });
  act(h, trader);
  h.run = realRun;
  h.advance(0);
  return h;
}

describe('leverage, margin type, isolated margin, transfers', () => {
  it('margin type cannot change with a position (-4048) or open orders (-4047)', () => {
    const { h, trader } = market();
    h.order(trader, 'BTCUSDT', 'BUY', 'LIMIT', '0.1', { price: '49000' });
    expect(codes(h.run({ type: 'SetMarginType', accountId: trader, symbol: 'BTCUSDT', marginType: 'ISOLATED' }))).toEqual([-4047]);
    h.run({ type: 'CancelAllOrders', accountId: trader, symbol: 'BTCUSDT', scope: 'ALL' });
    h.order(trader, 'BTCUSDT', 'BUY', 'MARKET', '0.1');
    expect(codes(h.run({ type: 'SetMarginType', accountId: trader, symbol: 'BTCUSDT', marginType: 'ISOLATED' }))).toEqual([-4048]);
  });

  it('isolated margin can be added from the wallet and removed down to the initial margin (-4051 beyond)', () => {
    // The market buy fills at 50,010 with the mark at 50,000: IM 5,001 plus the open loss 10.
    const { h, trader } = market();
    h.run({ type: 'SetMarginType', accountId: trader, symbol: 'BTCUSDT', marginType: 'ISOLATED' });
    h.run({ type: 'SetLeverage', accountId: trader, symbol: 'BTCUSDT', leverage: 10 });
    h.order(trader, 'BTCUSDT', 'BUY', 'MARKET', '1');
    const wallet = h.position(trader, 'BTCUSDT')!.isolatedWalletE8;
    expect(wallet).toBe(usd('5011'));
    expect(codes(h.run({ type: 'AdjustIsolatedMargin', accountId: trader, symbol: 'BTCUSDT', amountE8: usd('1000') }))).toEqual([]);
    expect(h.position(trader, 'BTCUSDT')!.isolatedWalletE8).toBe(usd('6011'));
    // Mark 50,000: IM 5,000, unrealized loss −10 → removable min(6,011 − MM 200, 6,011 − 10 − 5,000) = 1,001.
    expect(codes(h.run({ type: 'AdjustIsolatedMargin', accountId: trader, symbol: 'BTCUSDT', amountE8: -usd('1001.00000001') })))
      .toEqual([-4051]);
    expect(codes(h.run({ type: 'AdjustIsolatedMargin', accountId: trader, symbol: 'BTCUSDT', amountE8: -usd('1001') }))).toEqual([]);
  });

  it('lowering isolated leverage with a position is refused (-4161); lowering cross leverage needs margin (-2019)', () => {
    const { h, trader } = market();
    h.run({ type: 'SetLeverage', accountId: trader, symbol: 'BTCUSDT', leverage: 50 });
    h.order(trader, 'BTCUSDT', 'BUY', 'MARKET', '3');
    expect(codes(h.run({ type: 'SetLeverage', accountId: trader, symbol: 'BTCUSDT', leverage: 1 }))).toEqual([-2019]);
    expect(codes(h.run({ type: 'SetLeverage', accountId: trader, symbol: 'BTCUSDT', leverage: 5 }))).toEqual([]);
    const isolated = market();
    isolated.h.run({ type: 'SetMarginType', accountId: isolated.trader, symbol: 'BTCUSDT', marginType: 'ISOLATED' });
    isolated.h.order(isolated.trader, 'BTCUSDT', 'BUY', 'MARKET', '0.1');
    expect(codes(isolated.h.run({ type: 'SetLeverage', accountId: isolated.trader, symbol: 'BTCUSDT', leverage: 10 })))
      .toEqual([-4161]);
  });

  it('transfers are atomic and only move withdrawable balance (not unrealized profit)', () => {
    const { h, trader, other, maker } = market();
    h.run({ type: 'Transfer', fromAccountId: trader, toAccountId: other, amountE8: usd('40000') });
    expect(h.account(trader).crossWalletE8).toBe(usd('60000'));
    expect(h.account(other).crossWalletE8).toBe(usd('140000'));
    h.order(trader, 'BTCUSDT', 'BUY', 'MARKET', '1');
    // Price rises 10%: unrealized profit but the wallet did not grow.
    h.run({ type: 'CancelAllOrders', accountId: maker, symbol: 'BTCUSDT', scope: 'ALL' });
    h.order(maker, 'BTCUSDT', 'BUY', 'LIMIT', '1', { price: '54990' });
    h.order(maker, 'BTCUSDT', 'SELL', 'LIMIT', '1', { price: '55010' });
    h.index('BTCUSDT', '55000');
    h.advance(60_000);
    const view = h.engine.accountView(trader)!;
    expect(view.unrealizedPnlE8 > 0n).toBe(true);
    expect(view.withdrawableE8 < view.crossWalletE8).toBe(true);
    expect(codes(h.run({ type: 'Transfer', fromAccountId: trader, toAccountId: other, amountE8: view.withdrawableE8 + 1n })))
      .toEqual([-2018]);
    expect(codes(h.run({ type: 'Transfer', fromAccountId: trader, toAccountId: other, amountE8: view.withdrawableE8 }))).toEqual([]);
    expect(h.engine.checkInvariants()).toEqual([]);
  });
});

