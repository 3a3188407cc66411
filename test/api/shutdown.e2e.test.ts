/**
 * Shutdown: a stopped server closes its WebSocket connections (user data and market streams) with a
 * close frame, 1001 "going away", so clients see a clean close and reconnect, not 1006.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from './support/server.js';
import { openWs } from './support/ws-client.js';

describe('shutdown', () => {
  let server: ServerProcess | undefined;

  afterAll(async () => {
    await server?.dispose();
  });

  it('closes user-data and market sockets with 1001 on SIGTERM', async () => {
    server = await startServerProcess();
    const account = await server.admin.createAccount('1000');
    const response = await fetch(`${server.url}/fapi/v1/listenKey`, { method: 'POST', headers: { 'X-MBX-APIKEY': account.apiKey } });
    const { listenKey } = await response.json() as { listenKey: string };
    const clients = [await openWs(`${server.wsUrl}/ws/${listenKey}`), await openWs(`${server.wsUrl}/ws/btcusdt@aggTrade`)];
    const codes = clients.map((client) => new Promise<number>((resolve) => client.socket.once('close', (code) => resolve(code))));
    expect(await server.stop('SIGTERM')).toBe(0);
    expect(await Promise.all(codes)).toEqual([1001, 1001]);
  });
});
