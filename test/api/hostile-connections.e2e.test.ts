/**
 * Hostile connections against the real server process with a small descriptor limit (512, through
 * prlimit): hundreds of slow-body and slow-header connections, from one client address and from
 * many (127.0.0.x), cannot keep a well-behaved client from trading, and the venue keeps answering
 * after they leave. Failures Node's HTTP parser raises before any route runs (bad request line,
 * oversized headers, headers or body too slow) are answered in Binance's {code,msg} envelope.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedAccount } from '../../src/api/admin-client.js';
import { rawRequest, signedRaw, stalledConnections, type StalledConnections } from './support/hostile.js';
import { startServerProcess, type ServerProcess } from './support/server.js';

const DESCRIPTOR_LIMIT = 512;
const ORDER = { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.001' };

describe('hostile connections', () => {
  let server: ServerProcess;
  let trader: CreatedAccount;
  let orders = 0;
  const held: StalledConnections[] = [];

  /** A good client's order, on a fresh connection from `from`. */
  async function order(from: string): Promise<number> {
    const answer = await signedRaw(server.url, trader, 'POST', '/fapi/v1/order', { ...ORDER, price: String(50_000 + orders++) }, { from });
    return answer.status;
  }

  beforeAll(async () => {
    server = await startServerProcess(['--headers-timeout-ms', '1500', '--request-timeout-ms', '3000'], { fdLimit: DESCRIPTOR_LIMIT });
    await server.admin.setIndexPrice('BTCUSDT', '60000');
    trader = await server.admin.createAccount('100000');
  });

  afterAll(async () => {
    for (const connections of held) connections.close();
    await server?.dispose();
  });

  it('keeps serving good clients while slow-body connections from one address and from many exceed the descriptor limit', async () => {
    // More stalled connections than the process has descriptors (~1,000 against 512): from the good
    // client's own address, then 10 each from 30 others, half-sent headers, and more arriving.
    held.push(await stalledConnections(server.url, 400, { from: '127.0.0.1' }));
    for (let i = 0; i < 30; i++) held.push(await stalledConnections(server.url, 10, { from: `127.0.1.${i + 1}` }));
    held.push(await stalledConnections(server.url, 100, { from: '127.0.2.1', stage: 'headers' }));
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) {
      statuses.push(await order('127.0.0.1'), await order('127.0.3.1'));
      held.push(await stalledConnections(server.url, 20, { from: `127.0.4.${i + 1}` }));
    }
    expect(statuses).toEqual(Array.from({ length: 20 }, () => 200));
    for (const connections of held.splice(0)) connections.close();
    expect(await order('127.0.0.1')).toBe(200);
    const ledger = await server.admin.ledger();
    expect(ledger.ok).toBe(true);
  });

  it('closes connections whose headers or body do not arrive in time, answering 408 -1007', async () => {
    const slowBody = await stalledConnections(server.url, 1, { from: '127.0.5.1' });
    const slowHeaders = await stalledConnections(server.url, 1, { from: '127.0.5.2', stage: 'headers' });
    const silent = await stalledConnections(server.url, 1, { from: '127.0.5.3', stage: 'nothing' });
    await new Promise((resolve) => setTimeout(resolve, 5_500));
    for (const connections of [slowBody, slowHeaders, silent]) {
      expect(connections.open()).toBe(0);
      connections.close();
    }
    const replies = [...slowBody.replies(), ...slowHeaders.replies()];
    expect(replies).toHaveLength(2);
    for (const reply of replies) {
      expect(reply).toMatch(/^HTTP\/1\.1 408 /);
      expect(JSON.parse(reply.slice(reply.indexOf('\r\n\r\n') + 4))).toMatchObject({ code: -1007 });
    }
  });

  it('answers a malformed request line, oversized headers and an oversized body with {code,msg}', async () => {
    const badLine = await stalledConnections(server.url, 1, { raw: 'GET /fapi/v1/ping HTTP/9.9 nonsense\r\n\r\n' });
    const hugeHeaders = await stalledConnections(server.url, 1,
      { raw: `GET /fapi/v1/ping HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(70_000)}\r\n\r\n` });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const [line] = badLine.replies();
    const [headers] = hugeHeaders.replies();
    expect(line).toMatch(/^HTTP\/1\.1 400 /);
    expect(JSON.parse(line!.slice(line!.indexOf('\r\n\r\n') + 4))).toMatchObject({ code: -1100 });
    expect(headers).toMatch(/^HTTP\/1\.1 431 /);
    expect(JSON.parse(headers!.slice(headers!.indexOf('\r\n\r\n') + 4))).toMatchObject({ code: -1100 });
    badLine.close();
    hugeHeaders.close();
    const body = await rawRequest(server.url, { method: 'POST', path: '/fapi/v1/order',
      headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `a=${'b'.repeat(70_000)}` });
    expect(body).toMatchObject({ status: 413, body: { code: -1101 } });
  });
});
