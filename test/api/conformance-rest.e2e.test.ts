/**
 * REST conformance: the unchanged ccxt binanceusdm and binance SDK drive every Binance route the
 * server registers, through a recording proxy, and the last test checks that each route was
 * reached and answered (never -5000). The earlier tests check the endpoints that answered -5000
 * before issue 14 (symbolConfig, accountConfig, adlQuantile, forceOrders, positionMargin/history,
 * indexInfo, constituents, /futures/data/*, then insuranceBalance, symbolAdlRisk, rateLimit/order,
 * multiAssetsMargin, basis, countdownCancelAll and PUT batchOrders) and the position fields and
 * gapless klines, with the ccxt methods that read them. The venue clock is moved with the operator's clock route, so
 * five-minute statistics and empty candles need no waiting.
 */
import { USDMClient } from 'binance';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedAccount } from '../../src/api/admin-client.js';
import { recordingProxy, type RecordingProxy } from './support/recording-proxy.js';
import { binanceRoutes } from './support/route-table.js';
import { ccxtClient, signedFetch, startServerProcess, waitFor, type ServerProcess } from './support/server.js';

const BTC = 'BTC/USDT:USDT';
const ETH = 'ETH/USDT:USDT';
const MINUTE_MS = 60_000;

/** Routes no unchanged client calls (older aliases); the suite reaches them with a plain signed request. */
const ALIASES_NO_CLIENT_CALLS = ['GET /fapi/v1/algoOpenOrders'];
/** Routes whose answer here is a documented refusal (one-way mode only), not a success. */
const EXPECTED_REFUSALS: Record<string, number> = { 'POST /fapi/v1/positionSide/dual': -4059 };

describe('REST conformance through unchanged ccxt and binance SDK', () => {
  let server: ServerProcess;
  let proxy: RecordingProxy;
  let maker: CreatedAccount;
  let taker: CreatedAccount;
  let victim: CreatedAccount;
  let mx: ReturnType<typeof ccxtClient>;
  let tx: ReturnType<typeof ccxtClient>;
  let rest: USDMClient;
  let restTaker: USDMClient;

  const sdk = (account: CreatedAccount): USDMClient =>
    new USDMClient({ api_key: account.apiKey, api_secret: account.apiSecret, baseUrl: proxy.url });

  beforeAll(async () => {
    server = await startServerProcess(['--tick-interval-ms', '200']);
    proxy = await recordingProxy(server.url);
    await server.admin.fundInsurance('1000000');
    await server.admin.setIndexPrice('BTCUSDT', '60000');
    await server.admin.setIndexPrice('ETHUSDT', '3000');
    maker = await server.admin.createAccount('1000000');
    taker = await server.admin.createAccount('100000');
    victim = await server.admin.createAccount('1000');
    mx = ccxtClient(proxy.url, maker);
    tx = ccxtClient(proxy.url, taker);
    rest = sdk(maker);
    restTaker = sdk(taker);
    await mx.loadMarkets();
    await tx.loadMarkets();
  });

  afterAll(async () => {
    await proxy?.close();
    await server?.dispose();
  });

  it('answers symbolConfig and accountConfig: ccxt fetchLeverage(s), fetchMarginMode(s), fetchTradingFees', async () => {
    await tx.setLeverage(10, BTC);
    await tx.setMarginMode('isolated', BTC);
    const leverages = await tx.fetchLeverages([BTC, ETH]);
    expect(leverages[BTC]).toMatchObject({ symbol: BTC, marginMode: 'isolated', longLeverage: 10, shortLeverage: 10 });
    expect(leverages[ETH]).toMatchObject({ symbol: ETH, marginMode: 'cross', longLeverage: 20 });
    expect(await tx.fetchLeverage(BTC)).toMatchObject({ marginMode: 'isolated', longLeverage: 10 });
    const modes = await tx.fetchMarginModes([BTC, ETH]);
    expect(modes[BTC]?.marginMode).toBe('isolated');
    expect((await tx.fetchMarginMode(ETH)).marginMode).toBe('cross');
    const fees = await tx.fetchTradingFees();
    expect(fees[BTC]).toMatchObject({ symbol: BTC });
    const [config, ...others] = await restTaker.getFuturesSymbolConfig({ symbol: 'BTCUSDT' }) as unknown as Record<string, unknown>[];
    expect(others).toEqual([]);
    expect(config).toMatchObject({ symbol: 'BTCUSDT', marginType: 'ISOLATED', isAutoAddMargin: 'false', leverage: 10 });
    expect(Number(config!['maxNotionalValue'])).toBeGreaterThan(0);
    expect(await restTaker.getFuturesAccountConfig()).toMatchObject({ dualSidePosition: false, multiAssetsMargin: false,
      canTrade: true, feeTier: 0 });
  });

  it('reports break-even price with fees, open-order notionals and the ADL quantile on positions', async () => {
    await rest.submitNewOrder({ symbol: 'BTCUSDT', side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', quantity: 0.05, price: 60000 });
    await restTaker.submitNewOrder({ symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: 0.05 });
    // The index rises with the book and the last trade around it, so the mark follows: the long is
    // in profit and first in the ADL queue among longs; a third account trades in and out.
    await server.admin.setIndexPrice('BTCUSDT', '60600');
    const other = sdk(await server.admin.createAccount('100000'));
    await rest.submitNewOrder({ symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: 0.02, price: 60590 });
    await rest.submitNewOrder({ symbol: 'BTCUSDT', side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', quantity: 0.01, price: 60610 });
    await other.submitNewOrder({ symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: 0.01 });
    await other.submitNewOrder({ symbol: 'BTCUSDT', side: 'SELL', type: 'MARKET', quantity: 0.01 });
    await rest.submitNewOrder({ symbol: 'BTCUSDT', side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', quantity: 0.01, price: 60610 });
    await waitFor(async () => (Number((await rest.getMarkPrice({ symbol: 'BTCUSDT' }) as { markPrice: string }).markPrice) > 60300
      ? true : undefined), 10_000, 'the mark to follow the index');
    // Resting orders away from the touch: their notionals, not the book's, are the position's.
    await restTaker.submitNewOrder({ symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: 0.01, price: 59000 });
    await restTaker.submitNewOrder({ symbol: 'BTCUSDT', side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', quantity: 0.02, price: 61000 });
    const fee = Number((await restTaker.getAccountCommissionRate({ symbol: 'BTCUSDT' })).takerCommissionRate);
    const [position] = await restTaker.getPositionsV3({ symbol: 'BTCUSDT' }) as unknown as Record<string, unknown>[];
    expect(Number(position!['breakEvenPrice'])).toBeCloseTo((60000 * (1 + fee)) / (1 - fee), 4);
    expect(Number(position!['breakEvenPrice'])).toBeGreaterThan(60000);
    expect(position).toMatchObject({ bidNotional: '590.00000000', askNotional: '1220.00000000', adl: 4 });
    const v2 = await restTaker.getPositions({ symbol: 'BTCUSDT' }) as unknown as Record<string, unknown>[];
    expect(v2[0]!['breakEvenPrice']).toBe(position!['breakEvenPrice']);
    const account = await restTaker.getAccountInformation() as unknown as { positions: Record<string, unknown>[] };
    expect(account.positions.find((row) => row['symbol'] === 'BTCUSDT')).toMatchObject({ bidNotional: '590.00000000',
      askNotional: '1220.00000000' });
    expect(await restTaker.getADLQuantileEstimation({ symbol: 'BTCUSDT' })).toEqual([
      { symbol: 'BTCUSDT', adlQuantile: { LONG: 0, SHORT: 0, BOTH: 4 } }]);
    // The short is at a loss: last in the queue.
    expect(await rest.getADLQuantileEstimation()).toEqual([{ symbol: 'BTCUSDT', adlQuantile: { LONG: 0, SHORT: 0, BOTH: 0 } }]);
    const positions = await tx.fetchPositions([BTC]);
    expect(positions[0]!.info).toMatchObject({ breakEvenPrice: position!['breakEvenPrice'], adl: 4 });
    await restTaker.cancelAllOpenOrders({ symbol: 'BTCUSDT' });
  });

  it('lists isolated-margin adjustments (ccxt fetchMarginAdjustmentHistory) and keeps them out of income', async () => {
    await tx.addMargin(BTC, 10);
    await tx.reduceMargin(BTC, 5);
    const history = await tx.fetchMarginAdjustmentHistory(BTC);
    expect(history.map((row) => [row.type, row.amount])).toEqual([['add', 10], ['reduce', 5]]);
    const added = await restTaker.getPositionMarginChangeHistory({ symbol: 'BTCUSDT', type: 1 as never }) as unknown as
      Record<string, unknown>[];
    expect(added).toHaveLength(1);
    expect(added[0]).toMatchObject({ symbol: 'BTCUSDT', type: 1, deltaType: 'USER_ADJUST', amount: '10.00000000', asset: 'USDT',
      positionSide: 'BOTH' });
    expect(added[0]!['time']).toBeGreaterThan(0);
    const income = await restTaker.getIncomeHistory({ symbol: 'BTCUSDT' });
    expect(income.map((row) => row.incomeType)).not.toContain('MARGIN_ADJUSTMENT');
  });

  it('lists a liquidated account\'s own liquidation orders (ccxt fetchMyLiquidations), and nobody else\'s', async () => {
    const v = ccxtClient(proxy.url, victim);
    await v.loadMarkets();
    await v.setMarginMode('isolated', BTC);
    await v.setLeverage(20, BTC);
    await v.createOrder(BTC, 'market', 'buy', 0.01);
    await mx.createOrder(BTC, 'limit', 'buy', 0.05, 56000);
    await server.admin.setIndexPrice('BTCUSDT', '55000');
    await waitFor(async () => ((await v.fetchPositions([BTC])).length === 0 ? true : undefined), 15_000, 'the liquidation');
    // History comes from the read models, which follow the commit by one flush (docs/api.md "Read models").
    const liquidations = await waitFor(async () => {
      const rows = await v.fetchMyLiquidations(BTC);
      return rows.length > 0 ? rows : undefined;
    }, 10_000, 'the liquidation in the history');
    expect(liquidations[0]).toMatchObject({ symbol: BTC, side: 'sell', contracts: 0.01 });
    const orders = await sdk(victim).getForceOrders({ symbol: 'BTCUSDT', autoCloseType: 'LIQUIDATION' }) as unknown as
      Record<string, unknown>[];
    expect(orders[0]).toMatchObject({ symbol: 'BTCUSDT', side: 'SELL', origQty: '0.010', reduceOnly: true });
    expect(await sdk(victim).getForceOrders({ autoCloseType: 'ADL' })).toEqual([]);
    expect(await rest.getForceOrders({})).toEqual([]);
  });

  it('serves open interest, long/short and taker statistics from the venue\'s own history', async () => {
    // A new five-minute period: its first commit samples the positions open now.
    await server.admin.clock({ advanceMs: 5 * MINUTE_MS });
    const oi = await waitFor(async () => {
      const rows = await rest.getOpenInterestStatistics({ symbol: 'BTCUSDT', period: '5m' }) as unknown as Record<string, unknown>[];
      return rows.length >= 2 ? rows : undefined;
    }, 10_000, 'a second open-interest sample');
    const open = await rest.getOpenInterest({ symbol: 'BTCUSDT' });
    expect(oi.at(-1)).toMatchObject({ symbol: 'BTCUSDT', sumOpenInterest: open.openInterest });
    expect(Number(oi.at(-1)!['timestamp']) % (5 * MINUTE_MS)).toBe(0);
    const history = await mx.fetchOpenInterestHistory(BTC, '5m');
    expect(history.at(-1)!.openInterestAmount).toBe(Number(open.openInterest));
    // One long (taker) and one short (maker) account remain.
    const global = await rest.getGlobalLongShortAccountRatio({ symbol: 'BTCUSDT', period: '5m' }) as unknown as Record<string, string>[];
    expect(global.at(-1)).toMatchObject({ symbol: 'BTCUSDT', longShortRatio: '1.0000', longAccount: '0.5000', shortAccount: '0.5000' });
    const ratios = await mx.fetchLongShortRatioHistory(BTC, '5m');
    expect(ratios.at(-1)!.longShortRatio).toBe(1);
    const tops = [await rest.getTopTradersLongShortAccountRatio({ symbol: 'BTCUSDT', period: '5m' }),
      await rest.getTopTradersLongShortPositionRatio({ symbol: 'BTCUSDT', period: '5m' })] as unknown as Record<string, string>[][];
    for (const rows of tops) {
      const last = rows.at(-1)!;
      expect(Number(last['longAccount']) + Number(last['shortAccount'])).toBeCloseTo(1, 3);
    }
    const taker = await rest.getTakerBuySellVolume({ symbol: 'BTCUSDT', period: '5m' }) as unknown as Record<string, string>[];
    const traded = taker.filter((row) => Number(row['buyVol']) + Number(row['sellVol']) > 0);
    expect(traded.length).toBeGreaterThan(0);
    expect(Number(traded[0]!['buyVol'])).toBeGreaterThan(0);
  });

  it('returns klines for every minute up to the venue clock: quiet minutes at the last close with zero volume', async () => {
    const candles = await mx.fetchOHLCV(BTC, '1m');
    expect(candles.length).toBeGreaterThanOrEqual(6);
    for (let i = 1; i < candles.length; i++) expect(candles[i]![0]! - candles[i - 1]![0]!).toBe(MINUTE_MS);
    const quiet = candles.slice(-3);
    for (const [index, candle] of quiet.entries()) {
      const previousClose = (index === 0 ? candles.at(-4)! : quiet[index - 1]!)[4];
      expect(candle.slice(1)).toEqual([previousClose, previousClose, previousClose, previousClose, 0]);
    }
    const { venueTime } = await server.admin.clock();
    expect(candles.at(-1)![0]).toBe(venueTime - (venueTime % MINUTE_MS));
    const fiveMinute = await rest.getKlines({ symbol: 'BTCUSDT', interval: '5m', startTime: candles[0]![0]! });
    for (let i = 1; i < fiveMinute.length; i++) expect(Number(fiveMinute[i]![0]) - Number(fiveMinute[i - 1]![0])).toBe(5 * MINUTE_MS);
  });

  it('answers the index endpoints from the venue\'s one price source', async () => {
    expect(await rest.getCompositeSymbolIndex({ symbol: 'BTCUSDT' })).toEqual([]);
    expect(await rest.getIndexPriceConstituents({ symbol: 'BTCUSDT' })).toMatchObject({ symbol: 'BTCUSDT',
      constituents: [{ exchange: 'perpx-manual', symbol: 'BTCUSDT', price: '55000.0', weight: '1.00000000' }] });
  });

  it('answers the smaller endpoints bots call: insurance, ADL risk, rate limits, Multi-Assets, basis, countdown cancel, batch modify', async () => {
    const symbol = 'BTCUSDT';
    const groups = await mx.fapiPublicGetInsuranceBalance() as Record<string, unknown>[];
    expect(groups).toMatchObject([{ marginGroup: 'USDT', assets: [{ asset: 'USDT' }] }]);
    expect(await mx.fapiPublicGetInsuranceBalance({ symbol })).toMatchObject({ symbols: ['BTCUSDT', 'ETHUSDT'] });
    expect(['low', 'medium', 'high']).toContain((await mx.fapiPublicGetSymbolAdlRisk({ symbol }) as { adlRisk: string }).adlRisk);
    expect(await mx.fapiPublicGetSymbolAdlRisk()).toHaveLength(2);
    expect(await mx.fapiPrivateGetRateLimitOrder()).toMatchObject([
      { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10 }, { rateLimitType: 'ORDERS', interval: 'MINUTE', intervalNum: 1 }]);
    expect(await mx.fapiPrivatePostMultiAssetsMargin({ multiAssetsMargin: 'false' })).toMatchObject({ code: 200 });
    await expect(mx.fapiPrivatePostMultiAssetsMargin({ multiAssetsMargin: 'true' })).rejects.toThrow(/-9120/);
    const basis = await mx.fapiDataGetBasis({ pair: symbol, contractType: 'PERPETUAL', period: '5m' }) as Record<string, string>[];
    expect(basis.length).toBeGreaterThan(0);
    const last = basis.at(-1)!;
    expect(Number(last['futuresPrice']) - Number(last['indexPrice'])).toBeCloseTo(Number(last['basis']), 6);
    // Two resting bids; the batch moves both; a countdown of 300 ms then cancels them, one of 0 stops a countdown.
    const bids = await Promise.all(['50000', '50010'].map((price) =>
      rest.submitNewOrder({ symbol, side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: 0.01, price: Number(price) })));
    const moved = await mx.fapiPrivatePutBatchOrders({ batchOrders: bids.map((bid, index) =>
      ({ symbol, orderId: bid.orderId, side: 'BUY', quantity: '0.01', price: String(50020 + index) })) }) as Record<string, string>[];
    expect(moved.map((order) => order['price'])).toEqual(['50020.0', '50021.0']);
    expect(await mx.fapiPrivatePostCountdownCancelAll({ symbol, countdownTime: 60_000 })).toMatchObject({ symbol, countdownTime: '60000' });
    await mx.fapiPrivatePostCountdownCancelAll({ symbol, countdownTime: 0 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await rest.getAllOpenOrders({ symbol })).length).toBeGreaterThanOrEqual(2);
    await mx.fapiPrivatePostCountdownCancelAll({ symbol, countdownTime: 300 });
    await waitFor(async () => ((await rest.getAllOpenOrders({ symbol })).length === 0 || undefined), 10_000, 'the countdown to cancel');
  });

  it('reaches every other route through the clients', async () => {
    const symbol = 'BTCUSDT';
    await rest.testConnectivity();
    await rest.getServerTime();
    await rest.getExchangeInfo();
    await rest.getOrderBook({ symbol, limit: 5 });
    await rest.getRecentTrades({ symbol, limit: 5 });
    await rest.getHistoricalTrades({ symbol, limit: 5 });
    await rest.getAggregateTrades({ symbol, limit: 5 });
    await rest.getContinuousContractKlines({ pair: symbol, contractType: 'PERPETUAL', interval: '1m', limit: 5 });
    await rest.getMarkPriceKlines({ symbol, interval: '1h', limit: 5 });
    await rest.getIndexPriceKlines({ pair: symbol, interval: '1d', limit: 5 });
    await rest.getFundingRateHistory({ symbol });
    await rest.getFundingRates();
    await rest.get24hrChangeStatistics({ symbol });
    await rest.getSymbolPriceTicker({ symbol });
    await rest.getSymbolPriceTickerV2({ symbol });
    await rest.getSymbolOrderBookTicker({ symbol });
    await rest.getBalance();
    await rest.getBalanceV3();
    await rest.getAccountInformationV3();
    await rest.getNotionalAndLeverageBrackets({ symbol });
    await rest.getMultiAssetsMode();
    await rest.getCurrentPositionMode();
    await expect(rest.setPositionMode({ dualSidePosition: 'false' })).rejects.toMatchObject({ code: -4059 });
    await rest.getIncomeHistory({ limit: 5 });
    await rest.getAccountTrades({ symbol, limit: 5 });
    await rest.testOrder({ symbol, side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: 0.01, price: 50000 });
    const placed = await rest.submitNewOrder({ symbol, side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: 0.01, price: 50000 });
    await rest.getOrder({ symbol, orderId: placed.orderId });
    await rest.getCurrentOpenOrder({ symbol, orderId: placed.orderId });
    await rest.modifyOrder({ symbol, orderId: placed.orderId, side: 'BUY', quantity: 0.01, price: 50100 });
    await rest.getAllOpenOrders({ symbol });
    await rest.getAllOrders({ symbol, limit: 5 });
    await rest.cancelOrder({ symbol, orderId: placed.orderId });
    const batch = await rest.submitMultipleOrders([
      { symbol, side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.01', price: '50000' },
      { symbol, side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.01', price: '50010' },
    ] as never) as { orderId: number }[];
    await rest.cancelMultipleOrders({ symbol, orderIdList: batch.map((order) => order.orderId) });
    const algo = await rest.submitNewAlgoOrder({ algoType: 'CONDITIONAL', symbol, side: 'SELL', type: 'STOP_MARKET',
      quantity: '0.01', triggerPrice: '40000' } as never) as { algoId: number };
    await rest.getAlgoOrder({ algoId: algo.algoId });
    await rest.getOpenAlgoOrders({ symbol });
    await rest.getAllAlgoOrders({ symbol });
    await rest.cancelAlgoOrder({ algoId: algo.algoId });
    await rest.cancelAllAlgoOpenOrders({ symbol });
    await rest.cancelAllOpenOrders({ symbol });
    await rest.getFuturesUserDataListenKey();
    await rest.keepAliveFuturesUserDataListenKey();
    await rest.closeFuturesUserDataListenKey();
    for (const alias of ALIASES_NO_CLIENT_CALLS) {
      const [method, path] = alias.split(' ') as [string, string];
      expect((await signedFetch(proxy.url, maker, method, path, { symbol })).status).toBe(200);
    }

    const answered = (route: string): boolean => proxy.hits.some((hit) => `${hit.method} ${hit.path}` === route &&
      (hit.status === 200 || (EXPECTED_REFUSALS[route] !== undefined && hit.code === EXPECTED_REFUSALS[route])));
    const missing = binanceRoutes().map((route) => `${route.method} ${route.path}`).filter((route) => !answered(route));
    expect(missing).toEqual([]);
    expect(proxy.hits.filter((hit) => hit.code === -5000)).toEqual([]);
  });
});
