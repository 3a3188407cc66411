/**
 * Read models survive restarts: after a clean stop and after SIGKILL (the SQLite projection may lag
 * the journal then, and is caught up by replaying the durable venue), order history, account
 * trades, public trades, klines, income and API keys are exactly what they were. So does the replay
 * guard: a request captured before a restart is refused after it while its recvWindow lasts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CreatedAccount } from '../../src/api/admin-client.js';
import { rawRequest, signedQuery, type RawResponse } from './support/hostile.js';
import { publicFetch, signedFetch, startServerProcess, type ServerProcess } from './support/server.js';

async function snapshot(server: ServerProcess, maker: CreatedAccount, taker: CreatedAccount): Promise<unknown> {
  const get = async (account: CreatedAccount, path: string, params: Record<string, string> = {}): Promise<unknown> =>
    (await signedFetch(server.url, account, 'GET', path, params)).body;
  return {
    makerOrders: await get(maker, '/fapi/v1/allOrders', { symbol: 'BTCUSDT' }),
    takerOrders: await get(taker, '/fapi/v1/allOrders', { symbol: 'BTCUSDT' }),
    takerTrades: await get(taker, '/fapi/v1/userTrades', { symbol: 'BTCUSDT' }),
    makerIncome: await get(maker, '/fapi/v1/income', { limit: '1000' }),
    trades: (await publicFetch(server.url, '/fapi/v1/trades?symbol=BTCUSDT&limit=1000')).body,
    aggTrades: (await publicFetch(server.url, '/fapi/v1/aggTrades?symbol=BTCUSDT&limit=1000')).body,
    klines: ((await publicFetch(server.url, '/fapi/v1/klines?symbol=BTCUSDT&interval=1h')).body as unknown[][]).map((row) => row.slice(0, 6)),
    depth: (({ bids, asks }) => ({ bids, asks }))((await publicFetch(server.url, '/fapi/v1/depth?symbol=BTCUSDT&limit=100')).body as
      { bids: unknown; asks: unknown }),
  };
}

describe('read models across restarts', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'perpx-restart-'));
  let server: ServerProcess | undefined;

  afterAll(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps history after a clean stop and after SIGKILL', async () => {
    server = await startServerProcess([], { dataDir });
    await server.admin.setIndexPrice('BTCUSDT', '60000');
    const maker = await server.admin.createAccount('100000');
    const taker = await server.admin.createAccount('100000');
    const burst = async (): Promise<void> => {
      for (let i = 0; i < 15; i++) {
        await signedFetch(server!.url, maker, 'POST', '/fapi/v1/order',
          { symbol: 'BTCUSDT', side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.002', price: String(60000 + i) });
        await signedFetch(server!.url, taker, 'POST', '/fapi/v1/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.001' });
      }
    };
    await burst();
    const before = await snapshot(server, maker, taker);
    expect((before as { takerTrades: unknown[] }).takerTrades).toHaveLength(15);
    expect(await server.stop('SIGTERM')).toBe(0);

    server = await startServerProcess([], { dataDir });
    expect(await snapshot(server, maker, taker)).toEqual(before);
    await server.stop('SIGTERM');

    // Read models flushed only on reads: the second burst is journaled but never reaches SQLite
    // before the SIGKILL, so the restart must re-derive it from the journal.
    server = await startServerProcess([], { dataDir, env: { PERPX_READ_MODEL_FLUSH_MS: '3600000' } });
    await burst();
    await server.stop('SIGKILL');

    server = await startServerProcess([], { dataDir });
    const after = await snapshot(server, maker, taker) as Record<string, unknown[]>;
    const previous = before as Record<string, unknown[]>;
    expect(after['takerTrades']).toHaveLength(30);
    expect(after['takerTrades']!.slice(0, 15)).toEqual(previous['takerTrades']);
    expect(after['makerOrders']).toHaveLength(30);
    expect(after['takerOrders']).toHaveLength(30);
    expect(after['trades']).toHaveLength(30);
    expect(after['aggTrades']).toHaveLength(30);
    // Deposit plus one commission per fill (opening a short realizes no PnL).
    expect(after['makerIncome']).toHaveLength(1 + 30);
    expect((after['klines']!.at(-1) as unknown[])[5]).toBe('0.030');
    expect((await server.admin.ledger()).ok).toBe(true);
  });
});

describe('the replay guard across restarts', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'perpx-replay-'));
  let server: ServerProcess | undefined;

  afterAll(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses requests captured before a restart (clean and SIGKILL) while their recvWindow lasts', async () => {
    server = await startServerProcess([], { dataDir });
    await server.admin.setIndexPrice('BTCUSDT', '60000');
    const trader = await server.admin.createAccount('100000');
    const order = { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.001' };
    const send = (path: string, method: string, query: string): Promise<RawResponse> =>
      rawRequest(server!.url, { method, path: `${path}?${query}`, headers: { 'X-MBX-APIKEY': trader.apiKey } });
    const captured = signedQuery(trader, { ...order, price: '59000', newClientOrderId: 'captured-1' }, Date.now(), 60_000);
    expect((await send('/fapi/v1/order', 'POST', captured)).status).toBe(200);
    const cancelAll = signedQuery(trader, { symbol: 'BTCUSDT' }, Date.now(), 60_000);
    expect((await send('/fapi/v1/allOpenOrders', 'DELETE', cancelAll)).status).toBe(200);
    const second = signedQuery(trader, { ...order, price: '58000', newClientOrderId: 'captured-2' }, Date.now(), 60_000);
    expect((await send('/fapi/v1/order', 'POST', second)).status).toBe(200);
    await server.stop('SIGTERM');

    server = await startServerProcess([], { dataDir });
    const replayed = await send('/fapi/v1/order', 'POST', captured);
    expect(replayed).toMatchObject({ status: 400, body: { code: -1021 } });
    // A replayed cancel-all would cancel the order placed after it.
    expect(await send('/fapi/v1/allOpenOrders', 'DELETE', cancelAll)).toMatchObject({ status: 400, body: { code: -1021 } });
    const fresh = signedQuery(trader, { ...order, price: '57000', newClientOrderId: 'after-restart' }, Date.now(), 60_000);
    expect((await send('/fapi/v1/order', 'POST', fresh)).status).toBe(200);
    await server.stop('SIGKILL');

    server = await startServerProcess([], { dataDir });
    for (const query of [captured, second, fresh]) {
      expect(await send('/fapi/v1/order', 'POST', query)).toMatchObject({ status: 400, body: { code: -1021 } });
    }
    expect(await send('/fapi/v1/allOpenOrders', 'DELETE', cancelAll)).toMatchObject({ status: 400, body: { code: -1021 } });
    const open = await signedFetch(server.url, trader, 'GET', '/fapi/v1/openOrders', { symbol: 'BTCUSDT' });
    expect((open.body as { clientOrderId: string }[]).map((view) => view.clientOrderId).sort()).toEqual(['after-restart', 'captured-2']);
  });
});
