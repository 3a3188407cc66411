/**
 * Stream conformance: the unchanged binance SDK WebsocketClient subscribes to every market stream
 * of a symbol and every all-market stream (on /market and /public, as the SDK routes them) and each
 * one delivers; kline streams tick on the venue's clock, not only on trades (a finished candle goes
 * out with x: true, then the next period's empty candle at the last close), seen by the SDK and by
 * ccxt pro's watchOHLCV; the user data stream's position carries the break-even price with fees.
 */
import { USDMClient, WebsocketClient } from 'binance';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedAccount } from '../../src/api/admin-client.js';
import { allStreams } from './support/market.js';
import { ccxtProClient, startServerProcess, waitFor, type ServerProcess } from './support/server.js';

const MINUTE_MS = 60_000;

interface StreamMessage {
  e?: string;
  streamName?: string;
  k?: { t: number; x: boolean; o: string; c: string; v: string };
  a?: { P?: { s: string; ep: string; bep: string; pa: string }[] };
}

/** The SDK sends depth and bookTicker topics to /public, the rest to /market (reference §1.3). */
function isPublicTopic(name: string): boolean {
  return name.includes('@depth') || name.includes('bookTicker');
}

describe('stream conformance through the unchanged binance SDK and ccxt pro', () => {
  let server: ServerProcess;
  let maker: CreatedAccount;
  let taker: CreatedAccount;
  let rest: USDMClient;
  let restTaker: USDMClient;
  const sockets: WebsocketClient[] = [];
  const closers: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    server = await startServerProcess(['--tick-interval-ms', '200']);
    await server.admin.fundInsurance('1000000');
    await server.admin.setIndexPrice('BTCUSDT', '60000');
    await server.admin.setIndexPrice('ETHUSDT', '3000');
    maker = await server.admin.createAccount('1000000');
    taker = await server.admin.createAccount('100000');
    rest = new USDMClient({ api_key: maker.apiKey, api_secret: maker.apiSecret, baseUrl: server.url });
    restTaker = new USDMClient({ api_key: taker.apiKey, api_secret: taker.apiSecret, baseUrl: server.url });
  });

  afterAll(async () => {
    for (const close of closers) await close();
    for (const socket of sockets) socket.closeAll(true);
    await server?.dispose();
  });

  function socket(account: CreatedAccount, messages: StreamMessage[]): WebsocketClient {
    const client = new WebsocketClient({ api_key: account.apiKey, api_secret: account.apiSecret, wsUrl: server.wsUrl,
      restOptions: { baseUrl: server.url } }, { trace: () => undefined, info: () => undefined, error: () => undefined });
    client.on('message', (message) => {
      for (const row of Array.isArray(message) ? message as StreamMessage[] : [message as StreamMessage]) messages.push(row);
    });
    sockets.push(client);
    return client;
  }

  it('delivers every market stream of a symbol and every all-market stream', async () => {
    const messages: StreamMessage[] = [];
    const client = socket(maker, messages);
    const names = allStreams().filter((name) => !name.startsWith('ethusdt@'));
    await client.subscribe(names.filter((name) => !isPublicTopic(name)), 'usdmMarket');
    await client.subscribe(names.filter(isPublicTopic), 'usdmPublic');
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Trades, book changes and a liquidation (forceOrder streams).
    const victim = new USDMClient({ ...await server.admin.createAccount('1000').then((account) => ({
      api_key: account.apiKey, api_secret: account.apiSecret })), baseUrl: server.url });
    await victim.setMarginType({ symbol: 'BTCUSDT', marginType: 'ISOLATED' });
    await victim.setLeverage({ symbol: 'BTCUSDT', leverage: 20 });
    await rest.submitNewOrder({ symbol: 'BTCUSDT', side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', quantity: 0.02, price: 60000 });
    await victim.submitNewOrder({ symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: 0.01 });
    await restTaker.submitNewOrder({ symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: 0.01 });
    await rest.submitNewOrder({ symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: 0.05, price: 56000 });
    await server.admin.setIndexPrice('BTCUSDT', '55000');
    const missing = (): string[] => {
      const seen = new Set(messages.map((message) => message.streamName));
      return names.filter((name) => !seen.has(name));
    };
    await waitFor(() => (missing().length === 0 ? true : undefined), 15_000, 'a message on every stream')
      .catch(() => expect(missing()).toEqual([]));
    await server.admin.setIndexPrice('BTCUSDT', '60000');
  });

  it('ticks kline streams on the venue clock: the finished candle with x: true, then an empty one at the last close', async () => {
    const messages: StreamMessage[] = [];
    const client = socket(maker, messages);
    await client.subscribe(['btcusdt@kline_1m'], 'usdmMarket');
    const exchange = ccxtProClient(server.url);
    await exchange.loadHttpProxyAgent();
    closers.push(() => exchange.close());
    const first = await exchange.watchOHLCV('BTC/USDT:USDT', '1m');
    const tradedOpen = first.at(-1)![0]!;
    const lastClose = first.at(-1)![4]!;
    await server.admin.clock({ advanceMs: MINUTE_MS });
    const finished = await waitFor(() => messages.find((m) => m.k?.t === tradedOpen && m.k.x), 10_000, 'the finished candle');
    expect(Number(finished.k!.c)).toBe(lastClose);
    const quiet = await waitFor(() => messages.find((m) => m.k !== undefined && m.k.t > tradedOpen), 10_000, 'the next candle');
    expect(quiet.k!.t % MINUTE_MS).toBe(0);
    expect(quiet.k).toMatchObject({ x: false, v: '0.000' });
    expect(Number(quiet.k!.o)).toBe(lastClose);
    expect(Number(quiet.k!.c)).toBe(lastClose);
    // ccxt pro sees the quiet minute too, without any trade.
    const later = await waitFor(async () => {
      const candles = await exchange.watchOHLCV('BTC/USDT:USDT', '1m');
      return candles.at(-1)![0]! > tradedOpen ? candles.at(-1)! : undefined;
    }, 10_000, 'ccxt pro to see the quiet minute');
    expect(later.slice(1)).toEqual([lastClose, lastClose, lastClose, lastClose, 0]);
  });

  it('sends the break-even price with fees in ACCOUNT_UPDATE positions', async () => {
    const events: StreamMessage[] = [];
    const client = socket(taker, events);
    await client.subscribeUsdFuturesUserDataStream();
    await new Promise((resolve) => setTimeout(resolve, 500));
    await rest.submitNewOrder({ symbol: 'BTCUSDT', side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', quantity: 0.01, price: 60000 });
    await restTaker.submitNewOrder({ symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: 0.01 });
    const update = await waitFor(() => events.find((event) => event.e === 'ACCOUNT_UPDATE' && (event.a?.P?.length ?? 0) > 0),
      10_000, 'ACCOUNT_UPDATE with a position');
    const position = update.a!.P![0]!;
    const fee = Number((await restTaker.getAccountCommissionRate({ symbol: 'BTCUSDT' })).takerCommissionRate);
    expect(Number(position.bep)).toBeCloseTo((Number(position.ep) * (1 + fee)) / (1 - fee), 4);
    expect(Number(position.bep)).toBeGreaterThan(Number(position.ep));
  });
});
