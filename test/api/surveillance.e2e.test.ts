/**
 * Surveillance end to end on the real `perpx serve` process: a cross long pushed to 80 % of its
 * margin balance raises E1, which arrives on the operator's alert stream, at a signed webhook that
 * failed twice first (retried), in the audit log (disposition, CSV export) and in the account's own
 * alert list; a self-fill raises M4 and appears in the suspicious-order report; the exact heatmap is
 * served over REST and its WebSocket stream; `GET /fapi/v1/apiTradingStatus` answers the unchanged
 * binance SDK. Unauthenticated access to operator routes and streams is refused.
 */
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { USDMClient } from 'binance';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { CreatedAccount } from '../../src/api/admin-client.js';
import { signedFetch, startServerProcess, waitFor, type ServerProcess } from './support/server.js';

const SECRET = 'webhook-secret-0123456789';

interface Received {
  readonly body: string;
  readonly signature: string;
  readonly id: string;
}

async function webhookReceiver(failFirst: number): Promise<{ server: Server; url: string; received: Received[]; attempts: () => number }> {
  const received: Received[] = [];
  let attempts = 0;
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => { body += chunk.toString(); });
    request.on('end', () => {
      attempts++;
      if (attempts <= failFirst) {
        response.writeHead(503).end();
        return;
      }
      received.push({ body, signature: String(request.headers['x-perpx-signature']), id: String(request.headers['x-perpx-alert-id']) });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received, attempts: () => attempts };
}

function operatorSocket(url: string, token: string | undefined): Promise<{ socket: WebSocket; messages: Record<string, unknown>[] }> {
  const socket = new WebSocket(url, { headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });
  const messages: Record<string, unknown>[] = [];
  socket.on('message', (data: Buffer) => messages.push(JSON.parse(data.toString()) as Record<string, unknown>));
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve({ socket, messages }));
    socket.once('error', reject);
  });
}

describe('surveillance over the API', () => {
  let server: ServerProcess;
  let hook: Awaited<ReturnType<typeof webhookReceiver>>;
  let configDir: string;
  const sockets: WebSocket[] = [];

  beforeAll(async () => {
    hook = await webhookReceiver(2);
    configDir = mkdtempSync(join(tmpdir(), 'perpx-surveil-config-'));
    const config = join(configDir, 'surveil.json');
    writeFileSync(config, JSON.stringify({ webhooks: [{ url: hook.url, secret: SECRET, codes: ['E1'] }] }));
    server = await startServerProcess(['--tick-interval-ms', '200', '--surveil-config', config]);
  });

  afterAll(async () => {
    for (const socket of sockets) socket.terminate();
    await server?.dispose();
    hook?.server.close();
    if (configDir !== undefined) rmSync(configDir, { recursive: true, force: true });
  });

  const admin = async (method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown; text: string; type: string }> => {
    const response = await fetch(`${server.url}${path}`, {
      method, headers: { authorization: `Bearer ${server.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: response.status, json, text, type: response.headers.get('content-type') ?? '' };
  };

  it('refuses operator routes and the alert stream without the admin token', async () => {
    expect((await fetch(`${server.url}/admin/v1/surveillance/alerts`)).status).toBe(401);
    await expect(operatorSocket(`${server.wsUrl}/admin/v1/surveillance/stream`, undefined)).rejects.toThrow(/401/);
    await expect(operatorSocket(`${server.wsUrl}/perpx/v1/heatmap/stream?symbol=BTCUSDT`, undefined)).rejects.toThrow(/401/);
  });

  it('raises E1 on the stream, the webhook (after retries), the audit log and the account list; M4 in the STOR export', async () => {
    const stream = await operatorSocket(`${server.wsUrl}/admin/v1/surveillance/stream?severity=warn`, server.token);
    sockets.push(stream.socket);
    await server.admin.setIndexPrice('BTCUSDT', '60000');
    const maker: CreatedAccount = await server.admin.createAccount('100000');
    const trader: CreatedAccount = await server.admin.createAccount('100');
    expect((await signedFetch(server.url, trader, 'POST', '/fapi/v1/leverage', { symbol: 'BTCUSDT', leverage: 20 })).status).toBe(200);
    expect((await signedFetch(server.url, maker, 'POST', '/fapi/v1/order',
      { symbol: 'BTCUSDT', side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.010', price: '60000' })).status).toBe(200);
    expect((await signedFetch(server.url, trader, 'POST', '/fapi/v1/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.010' })).status)
      .toBe(200);
    const risk = (await signedFetch(server.url, trader, 'GET', '/fapi/v2/positionRisk', { symbol: 'BTCUSDT' })).body as { liquidationPrice: string }[];
    const liquidationPrice = Number(risk[0]!.liquidationPrice);
    // The heatmap holds the trader's long at its liquidation price (one served level of 0.1 USDT).
    const heatmap = await waitFor(async () => {
      const body = (await signedFetch(server.url, trader, 'GET', '/perpx/v1/heatmap', {
        symbol: 'BTCUSDT', step: '0.1', from: (Math.floor(liquidationPrice) - 10).toFixed(1), to: (Math.floor(liquidationPrice) + 10).toFixed(1),
      })).body as { levels: { price: string; longTotal: string }[]; bands: string[] };
      return body.levels.length > 0 ? body : undefined;
    }, 5_000, 'the heatmap level');
    const level = heatmap.levels.find((item) => Number(item.longTotal) > 0)!;
    expect(Math.abs(Number(level.price) - liquidationPrice)).toBeLessThanOrEqual(0.1);
    expect(heatmap.bands).toContain('11-20x');
    // 0.05 % above the liquidation price the ratio is between 80 % and 100 %.
    await server.admin.setIndexPrice('BTCUSDT', (Math.ceil(liquidationPrice * 1.0005 * 10) / 10).toFixed(1));
    const streamed = await waitFor(() => stream.messages.find((message) => message['e'] === 'alert'), 10_000, 'alert on the stream');
    const alert = streamed['alert'] as { id: string; code: string; accountIds: number[]; binance: { e: string } };
    expect(alert).toMatchObject({ code: 'E1', accountIds: [trader.accountId], binance: { e: 'MARGIN_CALL' } });
    // Webhook: two 503s, then delivered with a valid signature.
    const delivered = await waitFor(() => hook.received[0], 15_000, 'webhook delivery');
    expect(hook.attempts()).toBe(3);
    expect(delivered.id).toBe(alert.id);
    const [t, v1] = delivered.signature.split(',').map((part) => part.split('=')[1]!);
    expect(v1).toBe(createHmac('sha256', SECRET).update(`${t}.${delivered.body}`).digest('hex'));
    expect((JSON.parse(delivered.body) as { alert: { id: string } }).alert.id).toBe(alert.id);
    // Audit log: listed, disposed, delivery recorded; CSV export.
    const listed = (await admin('GET', '/admin/v1/surveillance/alerts?code=E1')).json as { alerts: { alert: { id: string }; status: string }[] };
    expect(listed.alerts.map((item) => item.alert.id)).toContain(alert.id);
    expect((await admin('POST', `/admin/v1/surveillance/alerts/${alert.id}/disposition`, { status: 'closed', by: 'x', why: 'y' })).status).toBe(400);
    const disposed = await admin('POST', `/admin/v1/surveillance/alerts/${alert.id}/disposition`,
      { status: 'acknowledged', by: 'risk desk', why: 'client contacted' });
    expect(disposed.json).toMatchObject({ status: 'acknowledged', dispositions: [{ status: 'acknowledged', by: 'risk desk', why: 'client contacted' }] });
    const deliveries = await waitFor(async () => {
      const detail = (await admin('GET', `/admin/v1/surveillance/alerts/${alert.id}`)).json as { deliveries: { ok: boolean; attempts: number }[] };
      return detail.deliveries.length > 0 ? detail.deliveries : undefined;
    }, 5_000, 'the delivery in the audit log');
    expect(deliveries).toMatchObject([{ ok: true, attempts: 3 }]);
    const csv = await admin('GET', '/admin/v1/surveillance/alerts/export?format=csv');
    expect(csv.type).toMatch(/text\/csv/);
    expect(csv.text.split('\r\n')[0]).toBe('id,time,code,name,severity,symbol,accounts,from_seq,to_seq,status,disposed_by,disposition_reason,message,inputs,threshold');
    expect(csv.text).toContain(`${alert.id},`);
    expect(csv.text).toContain('acknowledged,risk desk,client contacted');
    // The account sees its own margin call.
    const own = (await signedFetch(server.url, trader, 'GET', '/perpx/v1/alerts')).body as { id: string; code: string }[];
    expect(own.map((item) => item.id)).toContain(alert.id);
    expect(((await signedFetch(server.url, maker, 'GET', '/perpx/v1/alerts')).body as unknown[])).toEqual([]);
    // A self-fill (self-trade prevention off; Binance's default expires the maker): M4 in the suspicious-order report.
    const selfPrice = (Math.round(liquidationPrice * 1.02 * 10) / 10).toFixed(1);
    for (const side of ['SELL', 'BUY']) {
      const placed = await signedFetch(server.url, maker, 'POST', '/fapi/v1/order',
        { symbol: 'BTCUSDT', side, type: 'LIMIT', timeInForce: 'GTC', quantity: '0.001', price: selfPrice, selfTradePreventionMode: 'NONE' });
      expect(placed.status, placed.text).toBe(200);
    }
    const stor = await waitFor(async () => {
      const reports = (await admin('GET', '/admin/v1/surveillance/suspicious-orders?format=json')).json as { code: string; accounts: number[] }[];
      return reports.find((report) => report.code === 'M4');
    }, 10_000, 'M4 in the STOR export');
    expect(stor.accounts).toEqual([maker.accountId]);
  });

  it('streams the heatmap to a listenKey holder and answers apiTradingStatus to the binance SDK', async () => {
    const account = await server.admin.createAccount('1000');
    const listenKey = ((await fetch(`${server.url}/fapi/v1/listenKey`, { method: 'POST', headers: { 'X-MBX-APIKEY': account.apiKey } })).json() as
      Promise<{ listenKey: string }>);
    const stream = await operatorSocket(`${server.wsUrl}/perpx/v1/heatmap/stream?symbol=BTCUSDT&listenKey=${(await listenKey).listenKey}`, undefined);
    sockets.push(stream.socket);
    const first = await waitFor(() => stream.messages[0], 5_000, 'heatmap snapshot');
    expect(first).toMatchObject({ e: 'heatmap', symbol: 'BTCUSDT' });
    const client = new USDMClient({ api_key: account.apiKey, api_secret: account.apiSecret, baseUrl: server.url });
    const status = await client.getApiQuantitativeRulesIndicators() as { indicators: Record<string, unknown>; updateTime: number };
    expect(status).toMatchObject({ indicators: {} });
    const lag = (await admin('GET', '/admin/v1/surveillance/status')).json as { runner: { lagSeq: number; processedSeq: number } };
    expect(lag.runner.processedSeq).toBeGreaterThan(0);
  });
});
