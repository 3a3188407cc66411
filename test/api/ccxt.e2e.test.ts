/**
 * End to end with the unchanged ccxt binanceusdm against the real server process: markets,
 * leverage and margin type, every order type (conditional ones through the algo endpoints, as
 * ccxt 4.5 sends them), amend, cancel, order/trade history, balance, positions with liquidation
 * price, funding rate, klines, tickers and trades.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedAccount } from '../../src/api/admin-client.js';
import { ccxtClient, startServerProcess, type ServerProcess } from './support/server.js';

const SYMBOL = 'BTC/USDT:USDT';

describe('ccxt binanceusdm end to end', () => {
  let server: ServerProcess;
  let maker: CreatedAccount;
  let taker: CreatedAccount;
  let mx: ReturnType<typeof ccxtClient>;
  let tx: ReturnType<typeof ccxtClient>;

  beforeAll(async () => {
    server = await startServerProcess();
    await server.admin.fundInsurance('1000000');
    await server.admin.setIndexPrice('BTCUSDT', '60000');
    await server.admin.setIndexPrice('ETHUSDT', '3000');
    maker = await server.admin.createAccount('100000');
    taker = await server.admin.createAccount('100000');
    mx = ccxtClient(server.url, maker);
    tx = ccxtClient(server.url, taker);
  });

  afterAll(async () => {
    await server?.dispose();
  });

  it('loads markets from exchangeInfo as linear perpetual swaps', async () => {
    const markets = await mx.loadMarkets();
    const market = markets[SYMBOL]!;
    expect(market).toMatchObject({ id: 'BTCUSDT', swap: true, linear: true, contract: true, settle: 'USDT', active: true });
    expect(market.precision).toMatchObject({ price: 0.1, amount: 0.001 });
    expect(market.limits.cost?.min).toBe(50);
    await tx.loadMarkets();
    expect(await mx.fetchTime()).toBeGreaterThan(0);
  });

  it('sets leverage and margin mode, and reports an unchanged mode as MarginModeAlreadySet', async () => {
    const leverage = await mx.setLeverage(10, SYMBOL) as { leverage: number };
    expect(leverage.leverage).toBe(10);
    await mx.setMarginMode('isolated', SYMBOL);
    await expect(mx.setMarginMode('isolated', SYMBOL)).rejects.toThrow(/No need to change margin type/);
    await mx.setMarginMode('cross', SYMBOL);
    // The taker trades isolated, so its position has a liquidation price near the entry.
    await tx.setLeverage(20, SYMBOL);
    await tx.setMarginMode('isolated', SYMBOL);
  });

  it('places, amends and cancels limit orders (GTC, post-only) and shows them in the book', async () => {
    const ask = await mx.createOrder(SYMBOL, 'limit', 'sell', 0.01, 60100);
    expect(ask).toMatchObject({ status: 'open', type: 'limit', side: 'sell', amount: 0.01, price: 60100, filled: 0 });
    const bid = await mx.createOrder(SYMBOL, 'limit', 'buy', 0.02, 59900, { postOnly: true });
    expect(bid).toMatchObject({ status: 'open', postOnly: true, timeInForce: 'PO' });
    const open = await mx.fetchOpenOrders(SYMBOL);
    expect(open.map((order) => order.id).sort()).toEqual([ask.id, bid.id].sort());
    const book = await mx.fetchOrderBook(SYMBOL, 5);
    expect(book.asks[0]).toEqual([60100, 0.01]);
    expect(book.bids[0]).toEqual([59900, 0.02]);
    expect(book.nonce).toBeGreaterThan(0);
    const edited = await mx.editOrder(bid.id!, SYMBOL, 'limit', 'buy', 0.03, 59800);
    expect(edited).toMatchObject({ id: bid.id, amount: 0.03, price: 59800, status: 'open' });
    const canceled = await mx.cancelOrder(bid.id!, SYMBOL);
    expect(canceled).toMatchObject({ id: bid.id, status: 'canceled' });
    const fetched = await mx.fetchOrder(bid.id!, SYMBOL);
    expect(fetched.status).toBe('canceled');
    await expect(mx.cancelOrder(bid.id!, SYMBOL)).rejects.toThrow(ccxtError('OrderNotFound'));
  });

  it('rejects a post-only order that would take and a FOK that cannot fill', async () => {
    await expect(tx.createOrder(SYMBOL, 'limit', 'buy', 0.01, 60100, { postOnly: true })).rejects.toThrow(/Post Only/);
    await expect(tx.createOrder(SYMBOL, 'limit', 'buy', 0.05, 60100, { timeInForce: 'FOK' })).rejects.toThrow(/FOK/);
  });

  it('fills a market order against the book and records trades on both sides', async () => {
    const order = await tx.createOrder(SYMBOL, 'market', 'buy', 0.01);
    expect(order).toMatchObject({ status: 'closed', filled: 0.01, average: 60100, side: 'buy', type: 'market' });
    const myTrades = await tx.fetchMyTrades(SYMBOL);
    expect(myTrades).toHaveLength(1);
    expect(myTrades[0]).toMatchObject({ order: order.id, side: 'buy', price: 60100, amount: 0.01, takerOrMaker: 'taker' });
    expect(myTrades[0]!.fee?.cost).toBeCloseTo(60100 * 0.01 * 0.0005, 8);
    const makerTrades = await mx.fetchMyTrades(SYMBOL);
    expect(makerTrades[0]).toMatchObject({ side: 'sell', takerOrMaker: 'maker', amount: 0.01 });
    const history = await tx.fetchOrders(SYMBOL);
    expect(history.map((o) => o.id)).toContain(order.id);
    const trades = await tx.fetchTrades(SYMBOL);
    expect(trades.at(-1)).toMatchObject({ price: 60100, amount: 0.01, side: 'buy' });
  });

  it('reports balance and positions with the engine liquidation price', async () => {
    const balance = await tx.fetchBalance();
    expect(balance['USDT']?.total).toBeGreaterThan(99_000);
    expect(balance['USDT']?.used).toBeGreaterThan(0);
    const positions = await tx.fetchPositions([SYMBOL]);
    expect(positions).toHaveLength(1);
    const position = positions[0]!;
    expect(position).toMatchObject({ symbol: SYMBOL, side: 'long', contracts: 0.01, entryPrice: 60100, marginMode: 'isolated' });
    // Isolated long at 20x: liquidation a little under entry × (1 − 1/20 + MMR).
    expect(position.liquidationPrice).toBeGreaterThan(60100 * 0.95);
    expect(position.liquidationPrice).toBeLessThan(60100 * 0.96);
    expect(position.collateral).toBeGreaterThan(0);
    const short = (await mx.fetchPositions([SYMBOL]))[0]!;
    expect(short).toMatchObject({ side: 'short', contracts: 0.01 });
  });

  it('places conditional orders through the algo endpoints and cancels them', async () => {
    const stop = await tx.createOrder(SYMBOL, 'market', 'sell', 0.01, undefined, { stopLossPrice: 50000, reduceOnly: true });
    expect(stop).toMatchObject({ status: 'open', side: 'sell' });
    const takeProfit = await tx.createOrder(SYMBOL, 'market', 'sell', 0.01, undefined, { takeProfitPrice: 70000, reduceOnly: true });
    const stopLimit = await tx.createOrder(SYMBOL, 'limit', 'buy', 0.01, 62000, { triggerPrice: 61900 });
    const trailing = await tx.createOrder(SYMBOL, 'market', 'sell', 0.01, undefined, { trailingPercent: 1, reduceOnly: true });
    const open = await tx.fetchOpenOrders(SYMBOL, undefined, undefined, { trigger: true });
    expect(open.map((o) => o.id).sort()).toEqual([stop.id, takeProfit.id, stopLimit.id, trailing.id].sort());
    expect(open.find((o) => o.id === stop.id)?.triggerPrice).toBe(50000);
    const fetched = await tx.fetchOrder(stopLimit.id!, SYMBOL, { trigger: true });
    expect(fetched).toMatchObject({ id: stopLimit.id, status: 'open', price: 62000 });
    const canceled = await tx.cancelOrder(stopLimit.id!, SYMBOL, { trigger: true });
    expect(canceled.id).toBe(stopLimit.id);
    await tx.cancelAllOrders(SYMBOL, { trigger: true });
    expect(await tx.fetchOpenOrders(SYMBOL, undefined, undefined, { trigger: true })).toHaveLength(0);
  });

  it('closes with a reduce-only order and cancels all regular orders', async () => {
    await mx.createOrder(SYMBOL, 'limit', 'buy', 0.01, 60000);
    const close = await tx.createOrder(SYMBOL, 'market', 'sell', 0.05, undefined, { reduceOnly: true });
    expect(close.filled).toBe(0.01);
    expect(await tx.fetchPositions([SYMBOL])).toHaveLength(0);
    await mx.createOrder(SYMBOL, 'limit', 'buy', 0.01, 59000);
    await mx.createOrder(SYMBOL, 'limit', 'buy', 0.01, 59001, { timeInForce: 'GTC' });
    await mx.cancelAllOrders(SYMBOL);
    expect(await mx.fetchOpenOrders(SYMBOL)).toHaveLength(0);
  });

  it('defaults self-trade prevention to EXPIRE_MAKER for regular orders and NONE for conditional ones, as Binance', async () => {
    const self = ccxtClient(server.url, await server.admin.createAccount('100000'));
    const ask = await self.createOrder(SYMBOL, 'limit', 'sell', 0.01, 61000);
    expect(ask.info).toMatchObject({ selfTradePreventionMode: 'EXPIRE_MAKER' });
    // Crossing its own ask: the resting ask expires, nothing trades, the bid rests.
    const bid = await self.createOrder(SYMBOL, 'limit', 'buy', 0.01, 61000);
    expect(bid).toMatchObject({ status: 'open', filled: 0 });
    expect(await self.fetchOrder(ask.id!, SYMBOL)).toMatchObject({ status: 'expired', filled: 0 });
    expect(await self.fetchMyTrades(SYMBOL)).toHaveLength(0);
    const stop = await self.createOrder(SYMBOL, 'market', 'buy', 0.01, undefined, { triggerPrice: 70000 });
    expect(stop.info).toMatchObject({ selfTradePreventionMode: 'NONE' });
    await self.cancelAllOrders(SYMBOL);
    await self.cancelAllOrders(SYMBOL, { trigger: true });
  });

  it('serves funding rate, klines, ticker and order book snapshot', async () => {
    const funding = await mx.fetchFundingRate(SYMBOL);
    expect(funding).toMatchObject({ symbol: SYMBOL, indexPrice: 60000 });
    expect(funding.markPrice).toBeTypeOf('number');
    expect(funding.fundingRate).toBeTypeOf('number');
    expect(funding.fundingTimestamp).toBeGreaterThan(Date.now());
    const candles = await mx.fetchOHLCV(SYMBOL, '1m', undefined, 10);
    expect(candles.length).toBeGreaterThan(0);
    const last = candles.at(-1)!;
    expect(last[5]).toBeGreaterThan(0);
    const hourly = await mx.fetchOHLCV(SYMBOL, '1h', undefined, 5);
    expect(hourly.at(-1)![5]).toBeCloseTo(0.02, 8);
    const mark = await mx.fetchOHLCV(SYMBOL, '1m', undefined, 5, { price: 'mark' });
    expect(mark.length).toBeGreaterThan(0);
    const ticker = await mx.fetchTicker(SYMBOL);
    expect(ticker).toMatchObject({ symbol: SYMBOL, last: 60000, high: 60100, low: 60000 });
    expect(ticker.baseVolume).toBeCloseTo(0.02, 8);
  });
});

function ccxtError(name: string): RegExp {
  return new RegExp(name === 'OrderNotFound' ? 'Unknown order|does not exist' : name);
}
