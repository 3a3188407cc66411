/**
 * MARGIN_CALL on the user stream: a cross long whose maintenance margin reaches 80% of its margin
 * balance (but not 100%) gets one MARGIN_CALL with the position's figures; it is not liquidated,
 * and an account far from maintenance gets none. Real server process, plain `ws` client.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedAccount } from '../../src/api/admin-client.js';
import { signedFetch, startServerProcess, waitFor, type ServerProcess } from './support/server.js';
import { openWs, type WsClient as Client } from './support/ws-client.js';

async function userStream(server: ServerProcess, account: CreatedAccount): Promise<Client> {
  const response = await fetch(`${server.url}/fapi/v1/listenKey`, { method: 'POST', headers: { 'X-MBX-APIKEY': account.apiKey } });
  const { listenKey } = await response.json() as { listenKey: string };
  return openWs(`${server.wsUrl}/ws/${listenKey}`);
}

describe('MARGIN_CALL', () => {
  let server: ServerProcess;
  const clients: Client[] = [];

  beforeAll(async () => {
    server = await startServerProcess(['--tick-interval-ms', '200']);
  });

  afterAll(async () => {
    for (const client of clients) client.socket.terminate();
    await server?.dispose();
  });

  it('warns an account at 80% of its margin balance, once, and not one far from it', async () => {
    await server.admin.setIndexPrice('BTCUSDT', '60000');
    const maker = await server.admin.createAccount('100000');
    const trader = await server.admin.createAccount('100');
    const safe = await server.admin.createAccount('100000');
    for (const account of [trader, safe]) {
      expect((await signedFetch(server.url, account, 'POST', '/fapi/v1/leverage', { symbol: 'BTCUSDT', leverage: 20 })).status).toBe(200);
    }
    expect((await signedFetch(server.url, maker, 'POST', '/fapi/v1/order',
      { symbol: 'BTCUSDT', side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.020', price: '60000' })).status).toBe(200);
    for (const account of [trader, safe]) {
      expect((await signedFetch(server.url, account, 'POST', '/fapi/v1/order',
        { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.010' })).status).toBe(200);
    }
    const traderStream = await userStream(server, trader);
    const safeStream = await userStream(server, safe);
    clients.push(traderStream, safeStream);
    // The engine's own liquidation price; 0.05% above it the long keeps > 100% but < 125% of MM.
    const risk = (await signedFetch(server.url, trader, 'GET', '/fapi/v2/positionRisk', { symbol: 'BTCUSDT' })).body as
      { liquidationPrice: string; positionAmt: string }[];
    const liquidationPrice = Number(risk[0]!.liquidationPrice);
    expect(liquidationPrice).toBeGreaterThan(40_000);
    await server.admin.setIndexPrice('BTCUSDT', (Math.ceil(liquidationPrice * 1.0005 * 10) / 10).toFixed(1));
    const call = await waitFor(() => traderStream.messages.find((m) => m['e'] === 'MARGIN_CALL'), 10_000, 'MARGIN_CALL');
    const positions = call['p'] as Record<string, string>[];
    expect(positions).toHaveLength(1);
    expect(positions[0]).toMatchObject({ s: 'BTCUSDT', ps: 'BOTH', pa: '0.010', mt: 'CROSSED' });
    const mark = Number(positions[0]!['mp']);
    expect(mark).toBeGreaterThan(liquidationPrice);
    // The figures agree with each other: UPnL at the mark, and MM between 80% and 100% of the balance.
    expect(Number(positions[0]!['up'])).toBeCloseTo((mark - 60_000) * 0.01, 6);
    const balance = Number(call['cw']) + Number(positions[0]!['up']);
    const maintenance = Number(positions[0]!['mm']);
    expect(maintenance).toBeGreaterThanOrEqual(0.8 * balance);
    expect(maintenance).toBeLessThan(balance);
    // Not liquidated, and warned once per minute at most.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(traderStream.messages.filter((m) => m['e'] === 'MARGIN_CALL')).toHaveLength(1);
    const after = (await signedFetch(server.url, trader, 'GET', '/fapi/v2/positionRisk', { symbol: 'BTCUSDT' })).body as
      { positionAmt: string }[];
    expect(after[0]!.positionAmt).toBe('0.010');
    expect(safeStream.messages.some((m) => m['e'] === 'MARGIN_CALL')).toBe(false);
  });
});
