/**
 * Plain fetch against every REST endpoint of the real server: the exact field set of each payload
 * (Binance's names, strings where Binance sends strings), error envelopes with non-200 statuses,
 * and that malformed input gets the precise Binance code.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedAccount } from '../../src/api/admin-client.js';
import { publicFetch, signedFetch, startServerProcess, type ServerProcess } from './support/server.js';

const ORDER_KEYS = ['avgPrice', 'clientOrderId', 'closePosition', 'cumQty', 'cumQuote', 'executedQty', 'goodTillDate', 'orderId',
  'origQty', 'origType', 'positionSide', 'price', 'priceMatch', 'priceProtect', 'reduceOnly', 'selfTradePreventionMode', 'side',
  'status', 'stopPrice', 'symbol', 'time', 'timeInForce', 'type', 'updateTime', 'workingType'];

function keys(value: unknown): string[] {
  return Object.keys(value as object).sort();
}

function decimalString(value: unknown): boolean {
  return typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value);
}

describe('REST payload shapes (plain fetch)', () => {
  let server: ServerProcess;
  let maker: CreatedAccount;
  let taker: CreatedAccount;
  let restingId = 0;

  beforeAll(async () => {
    server = await startServerProcess();
    await server.admin.fundInsurance('100000');
    await server.admin.setIndexPrice('BTCUSDT', '60000');
    await server.admin.setIndexPrice('ETHUSDT', '3000');
    maker = await server.admin.createAccount('50000');
    taker = await server.admin.createAccount('50000');
    const resting = await signedFetch(server.url, maker, 'POST', '/fapi/v1/order',
      { symbol: 'BTCUSDT', side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.010', price: '60010' });
    restingId = (resting.body as { orderId: number }).orderId;
    await signedFetch(server.url, taker, 'POST', '/fapi/v1/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.004' });
  });

  afterAll(async () => {
    await server?.dispose();
  });

  it('ping, time, exchangeInfo', async () => {
    expect((await publicFetch(server.url, '/fapi/v1/ping')).body).toEqual({});
    expect(keys((await publicFetch(server.url, '/fapi/v1/time')).body)).toEqual(['serverTime']);
    const info = (await publicFetch(server.url, '/fapi/v1/exchangeInfo')).body as { symbols: Record<string, unknown>[] };
    expect(keys(info)).toEqual(['assets', 'exchangeFilters', 'futuresType', 'rateLimits', 'serverTime', 'symbols', 'timezone']);
    const btc = info.symbols[0]!;
    expect(btc).toMatchObject({ symbol: 'BTCUSDT', contractType: 'PERPETUAL', marginAsset: 'USDT', quoteAsset: 'USDT', status: 'TRADING',
      pricePrecision: 1, quantityPrecision: 3 });
    expect(btc).not.toHaveProperty('underlying');
    const filters = btc['filters'] as { filterType: string }[];
    expect(filters.map((filter) => filter.filterType)).toEqual(['PRICE_FILTER', 'LOT_SIZE', 'MARKET_LOT_SIZE', 'MAX_NUM_ORDERS',
      'MAX_NUM_ALGO_ORDERS', 'MIN_NOTIONAL', 'PERCENT_PRICE']);
  });

  it('depth, trades, aggTrades, klines', async () => {
    const depth = (await publicFetch(server.url, '/fapi/v1/depth?symbol=BTCUSDT&limit=5')).body as Record<string, unknown>;
    expect(keys(depth)).toEqual(['E', 'T', 'asks', 'bids', 'lastUpdateId']);
    expect(depth['asks']).toEqual([['60010.0', '0.006']]);
    const trades = (await publicFetch(server.url, '/fapi/v1/trades?symbol=BTCUSDT')).body as Record<string, unknown>[];
    expect(keys(trades[0])).toEqual(['id', 'isBuyerMaker', 'price', 'qty', 'quoteQty', 'time']);
    expect(trades[0]).toMatchObject({ price: '60010.0', qty: '0.004', quoteQty: '240.04000000', isBuyerMaker: false });
    const agg = (await publicFetch(server.url, '/fapi/v1/aggTrades?symbol=BTCUSDT')).body as Record<string, unknown>[];
    expect(keys(agg[0])).toEqual(['T', 'a', 'f', 'l', 'm', 'p', 'q']);
    const klines = (await publicFetch(server.url, '/fapi/v1/klines?symbol=BTCUSDT&interval=1m')).body as unknown[][];
    expect(klines[0]).toHaveLength(12);
    expect(klines[0]!.slice(1, 6)).toEqual(['60010.0', '60010.0', '60010.0', '60010.0', '0.004']);
    for (const path of ['/fapi/v1/markPriceKlines?symbol=BTCUSDT&interval=1h', '/fapi/v1/indexPriceKlines?pair=BTCUSDT&interval=1d']) {
      const rows = (await publicFetch(server.url, path)).body as unknown[][];
      expect(rows[0]).toHaveLength(12);
    }
  });

  it('premiumIndex, fundingRate, fundingInfo, tickers, openInterest', async () => {
    const premium = (await publicFetch(server.url, '/fapi/v1/premiumIndex?symbol=BTCUSDT')).body;
    expect(keys(premium)).toEqual(['estimatedSettlePrice', 'indexPrice', 'interestRate', 'lastFundingRate', 'markPrice',
      'nextFundingTime', 'symbol', 'time']);
    expect((await publicFetch(server.url, '/fapi/v1/premiumIndex')).body).toHaveLength(2);
    expect((await publicFetch(server.url, '/fapi/v1/fundingRate?symbol=BTCUSDT')).body).toEqual([]);
    const fundingInfo = (await publicFetch(server.url, '/fapi/v1/fundingInfo')).body as Record<string, unknown>[];
    expect(fundingInfo[0]).toMatchObject({ symbol: 'BTCUSDT', fundingIntervalHours: 8 });
    const ticker = (await publicFetch(server.url, '/fapi/v1/ticker/24hr?symbol=BTCUSDT')).body as Record<string, unknown>;
    expect(keys(ticker)).toEqual(['closeTime', 'count', 'firstId', 'highPrice', 'lastId', 'lastPrice', 'lastQty', 'lowPrice',
      'openPrice', 'openTime', 'priceChange', 'priceChangePercent', 'quoteVolume', 'symbol', 'volume', 'weightedAvgPrice']);
    expect(ticker).toMatchObject({ lastPrice: '60010.0', volume: '0.004', count: 1 });
    expect(keys((await publicFetch(server.url, '/fapi/v1/ticker/price?symbol=BTCUSDT')).body)).toEqual(['price', 'symbol', 'time']);
    const book = (await publicFetch(server.url, '/fapi/v1/ticker/bookTicker?symbol=BTCUSDT')).body;
    expect(keys(book)).toEqual(['askPrice', 'askQty', 'bidPrice', 'bidQty', 'lastUpdateId', 'symbol', 'time']);
    expect((await publicFetch(server.url, '/fapi/v1/openInterest?symbol=BTCUSDT')).body).toMatchObject({ openInterest: '0.004' });
  });

  it('balance, account, positionRisk (v2 and v3)', async () => {
    for (const version of ['v2', 'v3']) {
      const balance = (await signedFetch(server.url, taker, 'GET', `/fapi/${version}/balance`)).body as Record<string, unknown>[];
      expect(keys(balance[0])).toEqual(['accountAlias', 'asset', 'availableBalance', 'balance', 'crossUnPnl', 'crossWalletBalance',
        'marginAvailable', 'maxWithdrawAmount', 'updateTime']);
      expect(Object.values(balance[0]!).filter((value) => typeof value === 'string' && value !== 'USDT' && !value.startsWith('perpx'))
        .every(decimalString)).toBe(true);
    }
    const v3 = (await signedFetch(server.url, taker, 'GET', '/fapi/v3/account')).body as { assets: Record<string, unknown>[]; positions: unknown[] };
    expect(keys(v3)).toEqual(['assets', 'availableBalance', 'maxWithdrawAmount', 'positions', 'totalCrossUnPnl', 'totalCrossWalletBalance',
      'totalInitialMargin', 'totalMaintMargin', 'totalMarginBalance', 'totalOpenOrderInitialMargin', 'totalPositionInitialMargin',
      'totalUnrealizedProfit', 'totalWalletBalance']);
    expect(v3.assets[0]!['updateTime']).toBeGreaterThan(0);
    expect(keys(v3.positions[0])).toEqual(['initialMargin', 'isolatedMargin', 'isolatedWallet', 'maintMargin', 'notional', 'positionAmt',
      'positionSide', 'symbol', 'unrealizedProfit', 'updateTime']);
    const v2 = (await signedFetch(server.url, taker, 'GET', '/fapi/v2/account')).body as { positions: unknown[] };
    expect(v2.positions).toHaveLength(2);
    const riskV3 = (await signedFetch(server.url, taker, 'GET', '/fapi/v3/positionRisk')).body as Record<string, unknown>[];
    expect(keys(riskV3[0])).toEqual(['adl', 'askNotional', 'bidNotional', 'breakEvenPrice', 'entryPrice', 'initialMargin',
      'isolatedMargin', 'isolatedWallet', 'liquidationPrice', 'maintMargin', 'marginAsset', 'markPrice', 'notional',
      'openOrderInitialMargin', 'positionAmt', 'positionInitialMargin', 'positionSide', 'symbol', 'unRealizedProfit', 'updateTime']);
    expect(riskV3[0]).toMatchObject({ symbol: 'BTCUSDT', positionAmt: '0.004', entryPrice: '60010.00000000' });
    const riskV2 = (await signedFetch(server.url, taker, 'GET', '/fapi/v2/positionRisk', { symbol: 'BTCUSDT' })).body as Record<string, unknown>[];
    expect(keys(riskV2[0])).toEqual(['breakEvenPrice', 'entryPrice', 'isAutoAddMargin', 'isolatedMargin', 'isolatedWallet', 'leverage',
      'liquidationPrice', 'marginType', 'markPrice', 'maxNotionalValue', 'notional', 'positionAmt', 'positionSide', 'symbol',
      'unRealizedProfit', 'updateTime']);
  });

  it('leverage, marginType, positionMargin, leverageBracket, positionSide/dual, commissionRate', async () => {
    const fresh = await server.admin.createAccount('1000');
    expect((await signedFetch(server.url, fresh, 'POST', '/fapi/v1/leverage', { symbol: 'ETHUSDT', leverage: 3 })).body)
      .toEqual({ leverage: 3, maxNotionalValue: '530000000.00000000', symbol: 'ETHUSDT' });
    expect((await signedFetch(server.url, fresh, 'POST', '/fapi/v1/marginType', { symbol: 'ETHUSDT', marginType: 'ISOLATED' })).body)
      .toEqual({ code: 200, msg: 'success' });
    const again = await signedFetch(server.url, fresh, 'POST', '/fapi/v1/marginType', { symbol: 'ETHUSDT', marginType: 'ISOLATED' });
    expect(again).toMatchObject({ status: 400, body: { code: -4046, msg: 'No need to change margin type.' } });
    const margin = await signedFetch(server.url, fresh, 'POST', '/fapi/v1/positionMargin', { symbol: 'ETHUSDT', amount: '10', type: 1 });
    expect(margin.body).toMatchObject({ code: -4052 });
    const brackets = (await signedFetch(server.url, fresh, 'GET', '/fapi/v1/leverageBracket')).body as Record<string, unknown>[];
    expect(keys(brackets[0])).toEqual(['brackets', 'notionalCoef', 'symbol']);
    expect((brackets[0]!['brackets'] as unknown[])[0]).toEqual({ bracket: 1, initialLeverage: 125, notionalCap: 50000, notionalFloor: 0,
      maintMarginRatio: 0.004, cum: 0 });
    expect((await signedFetch(server.url, fresh, 'GET', '/fapi/v1/positionSide/dual')).body).toEqual({ dualSidePosition: false });
    expect((await signedFetch(server.url, fresh, 'POST', '/fapi/v1/positionSide/dual', { dualSidePosition: 'true' })).body)
      .toMatchObject({ code: -4068 });
    expect((await signedFetch(server.url, fresh, 'GET', '/fapi/v1/commissionRate', { symbol: 'BTCUSDT' })).body)
      .toEqual({ symbol: 'BTCUSDT', makerCommissionRate: '0.00020000', takerCommissionRate: '0.00050000' });
  });

  it('orders: query, open, all, amend, cancel; userTrades; income', async () => {
    const query = (await signedFetch(server.url, maker, 'GET', '/fapi/v1/order', { symbol: 'BTCUSDT', orderId: restingId })).body;
    expect(keys(query)).toEqual(ORDER_KEYS);
    expect(query).toMatchObject({ status: 'PARTIALLY_FILLED', executedQty: '0.004', avgPrice: '60010.00000000', cumQuote: '240.04000000' });
    const open = (await signedFetch(server.url, maker, 'GET', '/fapi/v1/openOrders', { symbol: 'BTCUSDT' })).body as unknown[];
    expect(open).toHaveLength(1);
    expect((await signedFetch(server.url, maker, 'GET', '/fapi/v1/openOrder', { symbol: 'BTCUSDT', orderId: restingId })).status).toBe(200);
    const amended = (await signedFetch(server.url, maker, 'PUT', '/fapi/v1/order',
      { symbol: 'BTCUSDT', side: 'SELL', orderId: restingId, quantity: '0.008', price: '60020' })).body;
    expect(amended).toMatchObject({ price: '60020.0', origQty: '0.008', executedQty: '0.004' });
    const all = (await signedFetch(server.url, maker, 'GET', '/fapi/v1/allOrders', { symbol: 'BTCUSDT' })).body as unknown[];
    expect(all).toHaveLength(1);
    const trades = (await signedFetch(server.url, taker, 'GET', '/fapi/v1/userTrades', { symbol: 'BTCUSDT' })).body as Record<string, unknown>[];
    expect(keys(trades[0])).toEqual(['buyer', 'commission', 'commissionAsset', 'id', 'maker', 'marginAsset', 'orderId', 'positionSide',
      'price', 'qty', 'quoteQty', 'realizedPnl', 'side', 'symbol', 'time']);
    const income = (await signedFetch(server.url, taker, 'GET', '/fapi/v1/income')).body as Record<string, unknown>[];
    expect(keys(income[0])).toEqual(['asset', 'income', 'incomeType', 'info', 'symbol', 'time', 'tradeId', 'tranId']);
    expect(income.map((row) => row['incomeType'])).toEqual(['TRANSFER', 'COMMISSION']);
    const canceled = (await signedFetch(server.url, maker, 'DELETE', '/fapi/v1/order', { symbol: 'BTCUSDT', orderId: restingId })).body;
    expect(canceled).toMatchObject({ status: 'CANCELED', orderId: restingId });
    const batch = (await signedFetch(server.url, maker, 'POST', '/fapi/v1/batchOrders', { batchOrders: JSON.stringify([
      { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.001', price: '59000' }, { symbol: 'NOPE' }]) })).body as unknown[];
    expect(batch[1]).toEqual({ code: -1121, msg: 'Invalid symbol.' });
    const cancelBatch = (await signedFetch(server.url, maker, 'DELETE', '/fapi/v1/batchOrders',
      { symbol: 'BTCUSDT', orderIdList: JSON.stringify([(batch[0] as { orderId: number }).orderId, 424242]) })).body as unknown[];
    expect(cancelBatch[0]).toMatchObject({ status: 'CANCELED' });
    expect(cancelBatch[1]).toMatchObject({ code: -2011 });
    expect((await signedFetch(server.url, maker, 'DELETE', '/fapi/v1/allOpenOrders', { symbol: 'BTCUSDT' })).body)
      .toEqual({ code: 200, msg: 'The operation of cancel all open order is done.' });
  });

  it('algo orders and listen keys', async () => {
    const algo = (await signedFetch(server.url, taker, 'POST', '/fapi/v1/algoOrder', { algoType: 'CONDITIONAL', symbol: 'BTCUSDT',
      side: 'SELL', type: 'STOP_MARKET', quantity: '0.004', triggerPrice: '50000', reduceOnly: 'true', clientAlgoId: 'algo-1' })).body as Record<string, unknown>;
    expect(algo).toMatchObject({ algoType: 'CONDITIONAL', orderType: 'STOP_MARKET', algoStatus: 'NEW', clientAlgoId: 'algo-1',
      triggerPrice: '50000.0', quantity: '0.004' });
    const id = algo['algoId'] as number;
    expect((await signedFetch(server.url, taker, 'GET', '/fapi/v1/algoOrder', { algoId: id })).body).toMatchObject({ algoId: id });
    expect((await signedFetch(server.url, taker, 'GET', '/fapi/v1/openAlgoOrders')).body).toHaveLength(1);
    expect((await signedFetch(server.url, taker, 'GET', '/fapi/v1/openOrders', { symbol: 'BTCUSDT' })).body).toHaveLength(0);
    expect((await signedFetch(server.url, taker, 'DELETE', '/fapi/v1/algoOrder', { clientAlgoId: 'algo-1' })).body)
      .toEqual({ algoId: id, clientAlgoId: 'algo-1', code: '200', msg: 'success' });
    expect((await signedFetch(server.url, taker, 'GET', '/fapi/v1/algoOrder', { algoId: id })).body).toMatchObject({ algoStatus: 'CANCELED' });
    const wrongType = await signedFetch(server.url, taker, 'POST', '/fapi/v1/algoOrder', { algoType: 'CONDITIONAL', symbol: 'BTCUSDT',
      side: 'SELL', type: 'LIMIT', quantity: '0.004', price: '1' });
    expect(wrongType.body).toMatchObject({ code: -1116 });
    const headers = { 'X-MBX-APIKEY': taker.apiKey };
    const created = await (await fetch(`${server.url}/fapi/v1/listenKey`, { method: 'POST', headers })).json() as { listenKey: string };
    expect(created.listenKey).toMatch(/^[0-9a-f]{64}$/);
    const again = await (await fetch(`${server.url}/fapi/v1/listenKey`, { method: 'POST', headers })).json() as { listenKey: string };
    expect(again.listenKey).toBe(created.listenKey);
    expect(await (await fetch(`${server.url}/fapi/v1/listenKey`, { method: 'PUT', headers })).json()).toEqual({ listenKey: created.listenKey });
    expect(await (await fetch(`${server.url}/fapi/v1/listenKey`, { method: 'DELETE', headers })).json()).toEqual({});
    const gone = await fetch(`${server.url}/fapi/v1/listenKey`, { method: 'PUT', headers });
    expect(gone.status).toBe(400);
    expect(await gone.json()).toMatchObject({ code: -1125 });
  });

  it('answers malformed input with precise codes and never a 5xx', async () => {
    const cases: [string, Record<string, string>, number][] = [
      ['/fapi/v1/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.0001', price: '60000' }, -1111],
      ['/fapi/v1/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '-1', price: '60000' }, -1130],
      ['/fapi/v1/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: 'abc', price: '60000' }, -1130],
      ['/fapi/v1/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '1e3', price: '60000' }, -1130],
      ['/fapi/v1/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '99999999999999999999999', price: '60000' }, -1130],
      ['/fapi/v1/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.001', price: '60000.05' }, -1111],
      ['/fapi/v1/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', quantity: '0.001', price: '60000' }, -1102],
      ['/fapi/v1/order', { symbol: 'BTCUSDT', side: 'HOLD', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.001', price: '1' }, -1117],
      ['/fapi/v1/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'ICEBERG', quantity: '0.001' }, -1116],
      ['/fapi/v1/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTD', quantity: '0.001', price: '1' }, -1115],
      ['/fapi/v1/order', { symbol: 'DOGEUSDT', side: 'BUY', type: 'MARKET', quantity: '1' }, -1121],
      ['/fapi/v1/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.001', positionSide: 'LONG' }, -4061],
      ['/fapi/v1/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.001', price: '1000' }, -4164],
      ['/fapi/v1/batchOrders', { batchOrders: '[{"symbol":' }, -1130],
    ];
    for (const [path, params, code] of cases) {
      const response = await signedFetch(server.url, maker, 'POST', path, params);
      expect({ path, params, status: response.status, code: (response.body as { code: number }).code })
        .toEqual({ path, params, status: 400, code });
    }
    const garbage = await fetch(`${server.url}/admin/v1/deposit`, { method: 'POST',
      headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' }, body: '{"accountId": 1, "amount":' });
    expect(garbage.status).toBe(400);
    expect(await garbage.json()).toMatchObject({ code: -1130 });
    const big = await fetch(`${server.url}/fapi/v1/order`, { method: 'POST', body: 'x'.repeat(200_000),
      headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ code: -1101 });
    const unknownPath = await publicFetch(server.url, '/fapi/v9/nothing');
    expect(unknownPath).toMatchObject({ status: 404, body: { code: -5000 } });
    expect((await server.admin.ledger()).ok).toBe(true);
  });
});
