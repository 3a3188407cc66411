/**
 * End to end with the unchanged ccxt pro binanceusdm over WebSocket: an order book kept in sync
 * from the diff stream and the REST snapshot (U/u/pu checked by ccxt, which throws on a gap), trades,
 * klines, mark price, the user data stream (orders, balance, positions) and a liquidation seen on
 * the forceOrder stream after the operator moves the index price.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedAccount } from '../../src/api/admin-client.js';
import { ccxtClient, ccxtProClient, startServerProcess, type ServerProcess } from './support/server.js';

const SYMBOL = 'BTC/USDT:USDT';

/** Repeats a watch until the predicate holds (watch calls resolve on every update). */
async function watchUntil<T>(watch: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await Promise.race([
      watch(),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('watch timed out')), Math.max(1, deadline - Date.now()))),
    ]);
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error('condition not reached before timeout');
  }
}

describe('ccxt pro binanceusdm end to end', () => {
  let server: ServerProcess;
  let maker: CreatedAccount;
  let taker: CreatedAccount;
  let rest: ReturnType<typeof ccxtClient>;
  let restTaker: ReturnType<typeof ccxtClient>;
  const pros: ReturnType<typeof ccxtProClient>[] = [];

  async function pro(account?: CreatedAccount): Promise<ReturnType<typeof ccxtProClient>> {
    const exchange = ccxtProClient(server.url, account);
    await exchange.loadHttpProxyAgent();
    await exchange.loadMarkets();
    pros.push(exchange);
    return exchange;
  }

  beforeAll(async () => {
    server = await startServerProcess(['--tick-interval-ms', '200']);
    await server.admin.fundInsurance('1000000');
    await server.admin.setIndexPrice('BTCUSDT', '60000');
    maker = await server.admin.createAccount('100000');
    taker = await server.admin.createAccount('100000');
    rest = ccxtClient(server.url, maker);
    restTaker = ccxtClient(server.url, taker);
    await rest.loadMarkets();
    await restTaker.loadMarkets();
  });

  afterAll(async () => {
    for (const exchange of pros) await exchange.close();
    await server?.dispose();
  });

  it('keeps an order book in sync with the diff stream', async () => {
    await rest.createOrder(SYMBOL, 'limit', 'buy', 0.01, 59000);
    const exchange = await pro();
    const first = await exchange.watchOrderBook(SYMBOL);
    expect(first.bids[0]).toEqual([59000, 0.01]);
    // A burst of changes, including removals, must arrive as a gap-free chain.
    const orders = [];
    for (let i = 0; i < 20; i++) orders.push(await rest.createOrder(SYMBOL, 'limit', 'sell', 0.001 * (i + 1), 60100 + i * 10));
    await rest.cancelOrder(orders[0]!.id!, SYMBOL);
    await rest.editOrder(orders[1]!.id!, SYMBOL, 'limit', 'sell', 0.005, 60111);
    const book = await watchUntil(() => exchange.watchOrderBook(SYMBOL),
      (b) => b.asks.length === 19 && b.asks.some(([price]) => price === 60111));
    const snapshot = await rest.fetchOrderBook(SYMBOL, 100);
    expect(book.asks).toEqual(snapshot.asks);
    expect(book.bids).toEqual(snapshot.bids);
  });

  it('streams trades, klines and mark price', async () => {
    const exchange = await pro();
    const tradesPromise = watchUntil(() => exchange.watchTrades(SYMBOL), (trades) => trades.length > 0);
    const ohlcvPromise = watchUntil(() => exchange.watchOHLCV(SYMBOL, '1m'), (candles) => candles.length > 0);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await restTaker.createOrder(SYMBOL, 'market', 'buy', 0.002);
    const trades = await tradesPromise;
    expect(trades.at(-1)).toMatchObject({ symbol: SYMBOL, price: 60111, side: 'buy' });
    const candles = await ohlcvPromise;
    expect(candles.at(-1)![4]).toBe(60111);
    const mark = await exchange.watchMarkPrice(SYMBOL);
    expect(mark).toMatchObject({ symbol: SYMBOL });
    expect(mark.markPrice).toBeGreaterThan(50000);
  });

  it('delivers the user data stream: orders, balance and positions', async () => {
    const exchange = await pro(taker);
    const ordersPromise = watchUntil(() => exchange.watchOrders(SYMBOL), (orders) => orders.some((o) => o.status === 'closed'));
    await new Promise((resolve) => setTimeout(resolve, 500));
    const placed = await restTaker.createOrder(SYMBOL, 'market', 'buy', 0.003);
    const orders = await ordersPromise;
    const seen = orders.find((o) => o.id === placed.id);
    expect(seen).toMatchObject({ status: 'closed', filled: 0.003, side: 'buy', type: 'market' });
    const balancePromise = exchange.watchBalance();
    const positionsPromise = watchUntil(() => exchange.watchPositions([SYMBOL]),
      (positions) => positions.some((p) => p.contracts === 0.006));
    await new Promise((resolve) => setTimeout(resolve, 300));
    await restTaker.createOrder(SYMBOL, 'market', 'buy', 0.001);
    const balance = await balancePromise;
    expect(balance['USDT']?.total).toBeGreaterThan(99_000);
    const positions = await positionsPromise;
    expect(positions.find((p) => p.contracts === 0.006)).toMatchObject({ side: 'long', symbol: SYMBOL });
  });

  it('shows a liquidation on the forceOrder stream when the index falls', async () => {
    const victim = await server.admin.createAccount('1000');
    const counterparty = await server.admin.createAccount('100000');
    const v = ccxtClient(server.url, victim);
    const c = ccxtClient(server.url, counterparty);
    await v.loadMarkets();
    await c.loadMarkets();
    await rest.cancelAllOrders(SYMBOL);
    await v.setMarginMode('isolated', SYMBOL);
    await v.setLeverage(20, SYMBOL);
    await c.createOrder(SYMBOL, 'limit', 'sell', 0.01, 60000);
    await v.createOrder(SYMBOL, 'market', 'buy', 0.01);
    const position = (await v.fetchPositions([SYMBOL]))[0]!;
    expect(position.liquidationPrice).toBeGreaterThan(57000);
    const exchange = await pro();
    const liquidations = watchUntil(() => exchange.watchLiquidations(SYMBOL), (items) => items.length > 0, 20_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await server.admin.setIndexPrice('BTCUSDT', '55000');
    const seen = await liquidations;
    expect(seen[0]).toMatchObject({ symbol: SYMBOL, side: 'sell', contracts: 0.01 });
    expect(await v.fetchPositions([SYMBOL])).toHaveLength(0);
    const ledger = await server.admin.ledger();
    expect(ledger.ok).toBe(true);
  });
});
