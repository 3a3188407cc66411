/**
 * End to end with the unchanged `binance` SDK (USDMClient over REST, WebsocketClient for market and
 * user data streams) against the real server process, configured with baseUrl/wsUrl as in
 * reference §1.3. The SDK signs with every parameter in the query string (ccxt uses the body), so
 * this also covers the second signing layout.
 */
import { USDMClient, WebsocketClient } from 'binance';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedAccount } from '../../src/api/admin-client.js';
import { startServerProcess, waitFor, type ServerProcess } from './support/server.js';

describe('binance SDK end to end', () => {
  let server: ServerProcess;
  let maker: CreatedAccount;
  let taker: CreatedAccount;
  let rest: USDMClient;
  let restTaker: USDMClient;
  const sockets: WebsocketClient[] = [];

  beforeAll(async () => {
    server = await startServerProcess(['--tick-interval-ms', '200']);
    await server.admin.fundInsurance('1000000');
    await server.admin.setIndexPrice('BTCUSDT', '60000');
    maker = await server.admin.createAccount('100000');
    taker = await server.admin.createAccount('100000');
    rest = new USDMClient({ api_key: maker.apiKey, api_secret: maker.apiSecret, baseUrl: server.url });
    restTaker = new USDMClient({ api_key: taker.apiKey, api_secret: taker.apiSecret, baseUrl: server.url });
  });

  afterAll(async () => {
    for (const socket of sockets) socket.closeAll(true);
    await server?.dispose();
  });

  function socket(account: CreatedAccount): WebsocketClient {
    const client = new WebsocketClient({ api_key: account.apiKey, api_secret: account.apiSecret, wsUrl: server.wsUrl,
      restOptions: { baseUrl: server.url } }, { trace: () => undefined, info: () => undefined, error: () => undefined });
    sockets.push(client);
    return client;
  }

  it('reads market data', async () => {
    const time = await rest.getServerTime();
    expect(time).toBeGreaterThan(0);
    const info = await rest.getExchangeInfo();
    expect(info.symbols.map((symbol) => symbol.symbol)).toEqual(['BTCUSDT', 'ETHUSDT']);
    const mark = await rest.getMarkPrice({ symbol: 'BTCUSDT' });
    expect(mark).toMatchObject({ symbol: 'BTCUSDT', indexPrice: '60000.0' });
    const book = await rest.getOrderBook({ symbol: 'BTCUSDT', limit: 5 });
    expect(book).toMatchObject({ bids: [], asks: [] });
  });

  it('sets leverage and margin type, trades, and reads account state', async () => {
    expect(await rest.setLeverage({ symbol: 'BTCUSDT', leverage: 5 })).toMatchObject({ leverage: 5, symbol: 'BTCUSDT' });
    expect(await restTaker.setMarginType({ symbol: 'BTCUSDT', marginType: 'ISOLATED' })).toMatchObject({ code: 200 });
    await expect(restTaker.setMarginType({ symbol: 'BTCUSDT', marginType: 'ISOLATED' })).rejects.toMatchObject({ code: -4046 });
    const ask = await rest.submitNewOrder({ symbol: 'BTCUSDT', side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', quantity: 0.05,
      price: 60050, newClientOrderId: 'sdk-ask-1' });
    expect(ask).toMatchObject({ clientOrderId: 'sdk-ask-1', status: 'NEW', origQty: '0.050', price: '60050.0' });
    const buy = await restTaker.submitNewOrder({ symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: 0.02 });
    expect(buy).toMatchObject({ status: 'FILLED', executedQty: '0.020', avgPrice: '60050.00000000', cumQuote: '1201.00000000' });
    const batch = await rest.submitMultipleOrders([
      { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.010', price: '59000' },
      { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.0101', price: '59000' },
    ]);
    expect(batch[0]).toMatchObject({ status: 'NEW' });
    expect(batch[1]).toMatchObject({ code: -1111 });
    const open = await rest.getAllOpenOrders({ symbol: 'BTCUSDT' });
    expect(open).toHaveLength(2);
    const modified = await rest.modifyOrder({ symbol: 'BTCUSDT', side: 'SELL', orderId: ask.orderId, quantity: 0.03, price: 60060 });
    expect(modified).toMatchObject({ orderId: ask.orderId, price: '60060.0', origQty: '0.030' });
    const got = await rest.getOrder({ symbol: 'BTCUSDT', origClientOrderId: 'sdk-ask-1' });
    expect(got).toMatchObject({ orderId: ask.orderId, executedQty: '0.020', status: 'PARTIALLY_FILLED' });
    expect(await rest.cancelAllOpenOrders({ symbol: 'BTCUSDT' })).toMatchObject({ code: 200 });
    const trades = await restTaker.getAccountTrades({ symbol: 'BTCUSDT' });
    expect(trades[0]).toMatchObject({ side: 'BUY', price: '60050.0', qty: '0.020', maker: false, commission: '0.60050000' });
    const positions = await restTaker.getPositionsV3();
    expect(positions[0]).toMatchObject({ symbol: 'BTCUSDT', positionAmt: '0.020', entryPrice: '60050.00000000' });
    expect(Number(positions[0]!.liquidationPrice)).toBeGreaterThan(50000);
    const balances = await restTaker.getBalanceV3();
    expect(balances[0]).toMatchObject({ asset: 'USDT' });
    const account = await restTaker.getAccountInformationV3();
    expect(Number(account.totalWalletBalance)).toBeCloseTo(100000 - 0.6005, 6);
    const income = await restTaker.getIncomeHistory({ symbol: 'BTCUSDT' });
    expect(income.map((row) => row.incomeType)).toContain('COMMISSION');
    const algo = await restTaker.submitNewAlgoOrder({ algoType: 'CONDITIONAL', symbol: 'BTCUSDT', side: 'SELL', type: 'STOP_MARKET',
      quantity: '0.020', triggerPrice: '55000', reduceOnly: 'true' } as never);
    expect(algo).toMatchObject({ algoType: 'CONDITIONAL', algoStatus: 'NEW', triggerPrice: '55000.0' });
    expect(await restTaker.getOpenAlgoOrders({ symbol: 'BTCUSDT' })).toHaveLength(1);
    expect(await restTaker.cancelAlgoOrder({ algoId: (algo as { algoId: number }).algoId })).toMatchObject({ code: '200' });
  });

  it('streams market data to WebsocketClient on /market and /public', async () => {
    const client = socket(maker);
    // The SDK unwraps the combined envelope: 'message' carries the payload itself.
    const messages: { e?: string; streamName?: string }[] = [];
    client.on('message', (message) => { messages.push(message as never); });
    await client.subscribe(['btcusdt@aggTrade', 'btcusdt@markPrice@1s', 'btcusdt@kline_1m'], 'usdmMarket');
    await client.subscribe(['btcusdt@depth@100ms', 'btcusdt@depth5'], 'usdmPublic');
    await new Promise((resolve) => setTimeout(resolve, 300));
    await rest.submitNewOrder({ symbol: 'BTCUSDT', side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', quantity: 0.01, price: 60100 });
    await restTaker.submitNewOrder({ symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: 0.01 });
    const kinds = await waitFor(() => {
      const seen = new Set(messages.map((message) => message.e));
      return ['aggTrade', 'markPriceUpdate', 'kline', 'depthUpdate'].every((kind) => seen.has(kind)) ? seen : undefined;
    }, 10_000, `market stream kinds (seen ${JSON.stringify(messages.slice(0, 3))} ${messages.length})`);
    expect(kinds.size).toBeGreaterThanOrEqual(4);
  });

  it('delivers ORDER_TRADE_UPDATE and ACCOUNT_UPDATE on the user data stream', async () => {
    const client = socket(taker);
    const events: { e?: string }[] = [];
    client.on('message', (message) => { events.push(message as { e?: string }); });
    await client.subscribeUsdFuturesUserDataStream();
    await new Promise((resolve) => setTimeout(resolve, 500));
    await rest.submitNewOrder({ symbol: 'BTCUSDT', side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', quantity: 0.01, price: 60100 });
    await restTaker.submitNewOrder({ symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: 0.01 });
    await waitFor(() => events.some((event) => event.e === 'ORDER_TRADE_UPDATE') &&
      events.some((event) => event.e === 'ACCOUNT_UPDATE') ? true : undefined, 10_000, 'user events');
  });
});
