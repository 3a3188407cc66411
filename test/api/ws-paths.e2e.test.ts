/**
 * WebSocket routes and control messages with a plain `ws` client: streams named in the path and in
 * `?streams=`, raw vs combined envelopes, SUBSCRIBE/UNSUBSCRIBE/LIST_SUBSCRIPTIONS/GET_PROPERTY,
 * bookTicker and ticker streams, the user stream on /ws/<listenKey>, and listenKeyExpired when the
 * key is closed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedAccount } from '../../src/api/admin-client.js';
import { signedFetch, startServerProcess, waitFor, type ServerProcess } from './support/server.js';
import { openWs as open, type WsClient as Client } from './support/ws-client.js';

describe('WebSocket paths and control messages', () => {
  let server: ServerProcess;
  let maker: CreatedAccount;
  let taker: CreatedAccount;
  const clients: Client[] = [];

  beforeAll(async () => {
    server = await startServerProcess(['--tick-interval-ms', '200']);
    await server.admin.setIndexPrice('BTCUSDT', '60000');
    maker = await server.admin.createAccount('100000');
    taker = await server.admin.createAccount('100000');
  });

  afterAll(async () => {
    for (const client of clients) client.socket.terminate();
    await server?.dispose();
  });

  it('serves streams named in the path (raw) and in ?streams= (combined), and control messages', async () => {
    const raw = await open(`${server.wsUrl}/ws/btcusdt@bookTicker/btcusdt@aggTrade`);
    const combined = await open(`${server.wsUrl}/stream?streams=btcusdt@bookTicker/btcusdt@ticker`);
    clients.push(raw, combined);
    await signedFetch(server.url, maker, 'POST', '/fapi/v1/order',
      { symbol: 'BTCUSDT', side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.010', price: '60100' });
    await signedFetch(server.url, taker, 'POST', '/fapi/v1/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.002' });
    await waitFor(() => raw.messages.some((m) => m['e'] === 'aggTrade') ? true : undefined, 5000, 'raw aggTrade');
    expect(raw.messages.find((m) => m['e'] === 'bookTicker')).toMatchObject({ s: 'BTCUSDT', a: '60100.0', A: '0.010' });
    expect(raw.messages.find((m) => m['e'] === 'aggTrade')).toMatchObject({ p: '60100.0', q: '0.002', m: false });
    await waitFor(() => combined.messages.some((m) => m['stream'] === 'btcusdt@ticker') ? true : undefined, 5000, 'ticker');
    expect(combined.messages.find((m) => m['stream'] === 'btcusdt@ticker')!['data']).toMatchObject({ e: '24hrTicker', c: '60100.0' });
    const control = raw.messages.length;
    raw.socket.send(JSON.stringify({ method: 'SUBSCRIBE', params: ['btcusdt@depth5@100ms', 'ethusdt@markPrice@1s'], id: 7 }));
    raw.socket.send(JSON.stringify({ method: 'UNSUBSCRIBE', params: ['btcusdt@aggTrade'], id: 8 }));
    raw.socket.send(JSON.stringify({ method: 'LIST_SUBSCRIPTIONS', id: 9 }));
    raw.socket.send(JSON.stringify({ method: 'GET_PROPERTY', params: ['combined'], id: 10 }));
    await waitFor(() => raw.messages.some((m) => m['id'] === 10) ? true : undefined, 5000, 'control replies');
    const replies = raw.messages.slice(control).filter((m) => 'id' in m);
    expect(replies).toEqual([{ result: null, id: 7 }, { result: null, id: 8 },
      { result: ['btcusdt@bookTicker', 'btcusdt@depth5@100ms', 'ethusdt@markPrice@1s'], id: 9 }, { result: false, id: 10 }]);
    await waitFor(() => raw.messages.some((m) => m['e'] === 'depthUpdate') ? true : undefined, 5000, 'partial depth');
    expect(raw.messages.find((m) => m['e'] === 'depthUpdate')).toMatchObject({ a: [['60100.0', '0.008']], b: [] });
  });

  it('rejects unknown paths and listen keys at the handshake', async () => {
    await expect(open(`${server.wsUrl}/nope`)).rejects.toThrow(/404/);
    await expect(open(`${server.wsUrl}/private/ws?listenKey=${'0'.repeat(64)}`)).rejects.toThrow(/400/);
  });

  it('delivers the user stream on /ws/<listenKey> and announces listenKeyExpired when the key is closed', async () => {
    const headers = { 'X-MBX-APIKEY': taker.apiKey };
    const { listenKey } = await (await fetch(`${server.url}/fapi/v1/listenKey`, { method: 'POST', headers })).json() as { listenKey: string };
    const user = await open(`${server.wsUrl}/ws/${listenKey}`);
    clients.push(user);
    await signedFetch(server.url, taker, 'POST', '/fapi/v1/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.001' });
    await waitFor(() => user.messages.some((m) => m['e'] === 'ACCOUNT_UPDATE') ? true : undefined, 5000, 'ACCOUNT_UPDATE');
    const trade = user.messages.find((m) => m['e'] === 'ORDER_TRADE_UPDATE' && (m['o'] as { x: string }).x === 'TRADE');
    expect(trade!['o']).toMatchObject({ s: 'BTCUSDT', S: 'BUY', o: 'MARKET', X: 'FILLED', l: '0.001', L: '60100.0', N: 'USDT', m: false });
    const account = user.messages.find((m) => m['e'] === 'ACCOUNT_UPDATE')!['a'] as { m: string; P: Record<string, unknown>[] };
    expect(account.m).toBe('ORDER');
    expect(account.P[0]).toMatchObject({ s: 'BTCUSDT', pa: '0.003', ps: 'BOTH', mt: 'cross' });
    await fetch(`${server.url}/fapi/v1/listenKey`, { method: 'DELETE', headers });
    await waitFor(() => user.messages.some((m) => m['e'] === 'listenKeyExpired') ? true : undefined, 5000, 'listenKeyExpired');
  });
});
