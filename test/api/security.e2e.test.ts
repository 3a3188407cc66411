/**
 * Security against the real server process: signatures, timestamps and recvWindow, replays, key
 * format and permissions, IP allow-lists, account isolation (another account's order id looks
 * exactly like one that does not exist), idempotent order retries, the operator token, and rate
 * limits with Binance's headers and codes (on a second server started with low limits).
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedAccount } from '../../src/api/admin-client.js';
import { signedQuery, signedRaw, rawRequest } from './support/hostile.js';
import { signedFetch, startServerProcess, type ServerProcess } from './support/server.js';

function sign(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('hex');
}

async function raw(url: string, path: string, init: RequestInit = {}): Promise<{ status: number; body: { code?: number; msg?: string } & Record<string, unknown>; headers: Headers }> {
  const response = await fetch(`${url}${path}`, init);
  return { status: response.status, body: await response.json() as never, headers: response.headers };
}

const ORDER = { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.001', price: '59000' };

describe('API security', () => {
  let server: ServerProcess;
  let alice: CreatedAccount;
  let bob: CreatedAccount;

  beforeAll(async () => {
    server = await startServerProcess();
    await server.admin.setIndexPrice('BTCUSDT', '60000');
    alice = await server.admin.createAccount('10000');
    bob = await server.admin.createAccount('10000');
  });

  afterAll(async () => {
    await server?.dispose();
  });

  it('accepts a correctly signed request in the query and in the body', async () => {
    const inQuery = await signedFetch(server.url, alice, 'GET', '/fapi/v2/balance');
    expect(inQuery.status).toBe(200);
    const inBody = await signedFetch(server.url, alice, 'POST', '/fapi/v1/leverage', { symbol: 'BTCUSDT', leverage: 7 }, { inBody: true });
    expect(inBody.body).toMatchObject({ leverage: 7 });
    // Mixed: part in the query, signature over query + body concatenated without a separator.
    const query = 'symbol=BTCUSDT&leverage=8';
    const body = `timestamp=${Date.now()}`;
    const signature = sign(alice.apiSecret, query + body);
    const mixed = await raw(server.url, `/fapi/v1/leverage?${query}`, { method: 'POST',
      headers: { 'X-MBX-APIKEY': alice.apiKey, 'content-type': 'application/x-www-form-urlencoded' }, body: `${body}&signature=${signature}` });
    expect(mixed.body).toMatchObject({ leverage: 8 });
  });

  it('rejects a bad or missing signature (-1022, -1102)', async () => {
    const timestamp = Date.now();
    const payload = `timestamp=${timestamp}`;
    const bad = await raw(server.url, `/fapi/v2/balance?${payload}&signature=${sign(bob.apiSecret, payload)}`,
      { headers: { 'X-MBX-APIKEY': alice.apiKey } });
    expect(bad).toMatchObject({ status: 400, body: { code: -1022 } });
    const tampered = await raw(server.url, `/fapi/v2/balance?timestamp=${timestamp + 1}&signature=${sign(alice.apiSecret, payload)}`,
      { headers: { 'X-MBX-APIKEY': alice.apiKey } });
    expect(tampered.body.code).toBe(-1022);
    const missing = await raw(server.url, `/fapi/v2/balance?${payload}`, { headers: { 'X-MBX-APIKEY': alice.apiKey } });
    expect(missing).toMatchObject({ status: 400, body: { code: -1102 } });
    const notLast = await raw(server.url, `/fapi/v2/balance?signature=${sign(alice.apiSecret, payload)}&${payload}`,
      { headers: { 'X-MBX-APIKEY': alice.apiKey } });
    expect(notLast.body.code).toBe(-1102);
  });

  it('rejects stale, future and out-of-window timestamps (-1021)', async () => {
    const stale = await signedFetch(server.url, alice, 'GET', '/fapi/v2/balance', {}, { timestamp: Date.now() - 10_000 });
    expect(stale).toMatchObject({ status: 400, body: { code: -1021 } });
    const ahead = await signedFetch(server.url, alice, 'GET', '/fapi/v2/balance', {}, { timestamp: Date.now() + 5_000 });
    expect(ahead.body).toMatchObject({ code: -1021 });
    const widened = await signedFetch(server.url, alice, 'GET', '/fapi/v2/balance', {}, { timestamp: Date.now() - 10_000, recvWindow: 20_000 });
    expect(widened.status).toBe(200);
    const tooWide = await signedFetch(server.url, alice, 'GET', '/fapi/v2/balance', {}, { recvWindow: 60_001 });
    expect(tooWide.body).toMatchObject({ code: -1130 });
    const noTimestamp = `recvWindow=5000`;
    const missing = await raw(server.url, `/fapi/v2/balance?${noTimestamp}&signature=${sign(alice.apiSecret, noTimestamp)}`,
      { headers: { 'X-MBX-APIKEY': alice.apiKey } });
    expect(missing.body).toMatchObject({ code: -1102 });
  });

  it('rejects a replayed order with a client order id (same signature inside its window) without placing it twice', async () => {
    const payload = new URLSearchParams({ ...ORDER, newClientOrderId: 'replayed-1', timestamp: String(Date.now()) }).toString();
    const path = `/fapi/v1/order?${payload}&signature=${sign(alice.apiSecret, payload)}`;
    const init = { method: 'POST', headers: { 'X-MBX-APIKEY': alice.apiKey } };
    const first = await raw(server.url, path, init);
    expect(first.status).toBe(200);
    const replay = await raw(server.url, path, init);
    expect(replay).toMatchObject({ status: 400, body: { code: -1021 } });
    expect(replay.body.msg).toMatch(/Duplicate request/);
    const open = await signedFetch(server.url, alice, 'GET', '/fapi/v1/openOrders', { symbol: 'BTCUSDT' });
    expect(open.body).toHaveLength(1);
    await signedFetch(server.url, alice, 'DELETE', '/fapi/v1/allOpenOrders', { symbol: 'BTCUSDT' });
  });

  it('places two identical orders without client order ids sent in the same millisecond', async () => {
    // Byte-identical requests (same timestamp, same signature): without a client order id nothing
    // tells them apart from a replay, and Binance places both (docs/api.md, Security).
    const payload = new URLSearchParams({ ...ORDER, price: '58500', timestamp: String(Date.now()) }).toString();
    const path = `/fapi/v1/order?${payload}&signature=${sign(alice.apiSecret, payload)}`;
    const init = { method: 'POST', headers: { 'X-MBX-APIKEY': alice.apiKey } };
    const answers = await Promise.all([raw(server.url, path, init), raw(server.url, path, init)]);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    expect(answers[0].body.orderId).not.toBe(answers[1].body.orderId);
    const open = await signedFetch(server.url, alice, 'GET', '/fapi/v1/openOrders', { symbol: 'BTCUSDT' });
    expect((open.body as { price: string }[]).filter((order) => order.price === '58500.0')).toHaveLength(2);
    await signedFetch(server.url, alice, 'DELETE', '/fapi/v1/allOpenOrders', { symbol: 'BTCUSDT' });
  });

  it('does not take the same parameters on another endpoint, or a repeated read, for a replay', async () => {
    // The signature covers only the parameters: these sign alike on every endpoint.
    const payload = new URLSearchParams({ timestamp: String(Date.now()) }).toString();
    const query = `${payload}&signature=${sign(alice.apiSecret, payload)}`;
    const init = { method: 'GET', headers: { 'X-MBX-APIKEY': alice.apiKey } };
    for (const path of ['/fapi/v2/balance', '/fapi/v2/account', '/fapi/v2/balance']) {
      expect((await raw(server.url, `${path}?${query}`, init)).status).toBe(200);
    }
    // A state-changing request with the same signature on another endpoint is not a replay either.
    const cancelAll = new URLSearchParams({ symbol: 'ETHUSDT', timestamp: String(Date.now()) }).toString();
    const signature = sign(alice.apiSecret, cancelAll);
    const remove = { method: 'DELETE', headers: { 'X-MBX-APIKEY': alice.apiKey } };
    expect((await raw(server.url, `/fapi/v1/allOpenOrders?${cancelAll}&signature=${signature}`, remove)).status).toBe(200);
    const batch = await raw(server.url, `/fapi/v1/batchOrders?${cancelAll}&signature=${signature}`, remove);
    expect(batch.body).not.toMatchObject({ code: -1021 });
    const again = await raw(server.url, `/fapi/v1/allOpenOrders?${cancelAll}&signature=${signature}`, remove);
    expect(again).toMatchObject({ status: 400, body: { code: -1021 } });
  });

  it('places a client order id once per request, refuses it while its order is open and takes it again once the order ended', async () => {
    const params = { ...ORDER, price: '58000', newClientOrderId: 'retry-1' };
    const timestamp = Date.now();
    const first = await signedFetch(server.url, bob, 'POST', '/fapi/v1/order', params, { timestamp });
    expect(first.status).toBe(200);
    const firstId = (first.body as { orderId: number }).orderId;
    // The very same request again: refused, nothing placed.
    const same = await signedFetch(server.url, bob, 'POST', '/fapi/v1/order', params, { timestamp });
    expect(same.body).toMatchObject({ code: -1021 });
    // A new request with the id of an open order: -4116, as Binance (ids are unique among open orders).
    const whileOpen = await signedFetch(server.url, bob, 'POST', '/fapi/v1/order', { ...params, price: '57000' }, { timestamp: timestamp + 1 });
    expect(whileOpen.body).toMatchObject({ code: -4116 });
    let open = await signedFetch(server.url, bob, 'GET', '/fapi/v1/openOrders', { symbol: 'BTCUSDT' });
    expect(open.body).toHaveLength(1);
    // Once that order has ended, a new request may use the id again: a new order.
    await signedFetch(server.url, bob, 'DELETE', '/fapi/v1/order', { symbol: 'BTCUSDT', origClientOrderId: 'retry-1' });
    const reused = await signedFetch(server.url, bob, 'POST', '/fapi/v1/order', { ...params, price: '57500' }, { timestamp: timestamp + 2 });
    expect(reused.body).toMatchObject({ clientOrderId: 'retry-1', status: 'NEW', price: '57500.0' });
    expect((reused.body as { orderId: number }).orderId).not.toBe(firstId);
    open = await signedFetch(server.url, bob, 'GET', '/fapi/v1/openOrders', { symbol: 'BTCUSDT' });
    expect((open.body as { orderId: number }[]).map((order) => order.orderId)).toEqual([(reused.body as { orderId: number }).orderId]);
    await signedFetch(server.url, bob, 'DELETE', '/fapi/v1/allOpenOrders', { symbol: 'BTCUSDT' });
  });

  it('rejects unknown and malformed API keys (-2015, -2014)', async () => {
    const unknown = await signedFetch(server.url, { ...alice, apiKey: 'a'.repeat(64) }, 'GET', '/fapi/v2/balance');
    expect(unknown).toMatchObject({ status: 401, body: { code: -2015 } });
    const malformed = await signedFetch(server.url, { ...alice, apiKey: 'not a key!' }, 'GET', '/fapi/v2/balance');
    expect(malformed).toMatchObject({ status: 401, body: { code: -2014 } });
    const listenKey = await raw(server.url, '/fapi/v1/listenKey', { method: 'POST' });
    expect(listenKey.body.code).toBe(-1102);
  });

  it('enforces key permissions (read-only keys cannot trade)', async () => {
    const readOnly = await server.admin.createApiKey(alice.accountId, ['read']);
    expect((await signedFetch(server.url, readOnly, 'GET', '/fapi/v3/account')).status).toBe(200);
    const order = await signedFetch(server.url, readOnly, 'POST', '/fapi/v1/order', ORDER);
    expect(order).toMatchObject({ status: 401, body: { code: -2015 } });
    const tradeOnly = await server.admin.createApiKey(alice.accountId, ['trade']);
    expect((await signedFetch(server.url, tradeOnly, 'GET', '/fapi/v3/account')).body).toMatchObject({ code: -2015 });
  });

  it('enforces IP allow-lists', async () => {
    const elsewhere = await server.admin.createApiKey(alice.accountId, ['read'], ['10.9.8.7']);
    expect((await signedFetch(server.url, elsewhere, 'GET', '/fapi/v2/balance')).body).toMatchObject({ code: -2015 });
    const local = await server.admin.createApiKey(alice.accountId, ['read'], ['127.0.0.1']);
    expect((await signedFetch(server.url, local, 'GET', '/fapi/v2/balance')).status).toBe(200);
  });

  it("never lets an account see or touch another account's orders", async () => {
    const placed = await signedFetch(server.url, alice, 'POST', '/fapi/v1/order', { ...ORDER, price: '59500', newClientOrderId: 'alice-secret' });
    const orderId = (placed.body as { orderId: number }).orderId;
    const query = await signedFetch(server.url, bob, 'GET', '/fapi/v1/order', { symbol: 'BTCUSDT', orderId });
    const nonexistent = await signedFetch(server.url, bob, 'GET', '/fapi/v1/order', { symbol: 'BTCUSDT', orderId: 987654 });
    expect(query).toMatchObject({ status: 400, body: { code: -2013 } });
    expect(query.body).toEqual(nonexistent.body);
    const byClientId = await signedFetch(server.url, bob, 'GET', '/fapi/v1/order', { symbol: 'BTCUSDT', origClientOrderId: 'alice-secret' });
    expect(byClientId.body).toMatchObject({ code: -2013 });
    const cancel = await signedFetch(server.url, bob, 'DELETE', '/fapi/v1/order', { symbol: 'BTCUSDT', orderId });
    const cancelMissing = await signedFetch(server.url, bob, 'DELETE', '/fapi/v1/order', { symbol: 'BTCUSDT', orderId: 987654 });
    expect(cancel).toMatchObject({ status: 400, body: { code: -2011 } });
    expect(cancel.body).toEqual(cancelMissing.body);
    const amend = await signedFetch(server.url, bob, 'PUT', '/fapi/v1/order', { symbol: 'BTCUSDT', orderId, side: 'BUY', quantity: '0.002', price: '59500' });
    expect(amend.body).toMatchObject({ code: -2013 });
    const algo = await signedFetch(server.url, bob, 'DELETE', '/fapi/v1/algoOrder', { algoId: orderId });
    expect(algo.body).toMatchObject({ code: -2011 });
    const history = await signedFetch(server.url, bob, 'GET', '/fapi/v1/allOrders', { symbol: 'BTCUSDT' });
    expect((history.body as { orderId: number }[]).map((o) => o.orderId)).not.toContain(orderId);
    const still = await signedFetch(server.url, alice, 'GET', '/fapi/v1/order', { symbol: 'BTCUSDT', orderId });
    expect(still.body).toMatchObject({ orderId, status: 'NEW' });
  });

  it('protects the operator API with the bearer token', async () => {
    const none = await raw(server.url, '/admin/v1/ledger');
    expect(none).toMatchObject({ status: 401, body: { code: -1002 } });
    const wrong = await raw(server.url, '/admin/v1/ledger', { headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
    const ledger = await server.admin.ledger();
    expect(ledger.ok).toBe(true);
  });
});

describe('API rate limits', () => {
  let server: ServerProcess;
  let account: CreatedAccount;
  let victim: CreatedAccount;
  let multiKey: CreatedAccount;

  beforeAll(async () => {
    server = await startServerProcess(['--rate-limit-weight', '60', '--rate-limit-orders-10s', '5']);
    await server.admin.setIndexPrice('BTCUSDT', '60000');
    account = await server.admin.createAccount('10000');
    victim = await server.admin.createAccount('10000');
    multiKey = await server.admin.createAccount('10000');
  });

  /** Waits until at least `marginMs` remain in the current window of `windowMs`. */
  async function insideWindow(windowMs: number, marginMs: number): Promise<void> {
    while (windowMs - (Date.now() % windowMs) < marginMs) await new Promise((resolve) => setTimeout(resolve, 100));
  }

  it("does not let badly signed requests with another user's key spend that user's weight, and bans the sender", async () => {
    await insideWindow(60_000, 15_000);
    const statuses: number[] = [];
    let last: Awaited<ReturnType<typeof rawRequest>> | undefined;
    const forged = signedQuery({ ...victim, apiSecret: 'not-the-secret' }, {});
    for (let i = 0; i < 500; i++) {
      last = await rawRequest(server.url, { path: `/fapi/v2/balance?${forged}`, headers: { 'X-MBX-APIKEY': victim.apiKey }, from: '127.0.8.1' });
      statuses.push(last.status);
      if (i === 20) {
        expect(last).toMatchObject({ status: 429, body: { code: -1003 } });
        expect(Number(last.headers['retry-after'])).toBeGreaterThan(0);
        expect(Number(last.headers['retry-after'])).toBeLessThanOrEqual(60);
      }
    }
    expect(statuses.slice(0, 5)).toEqual([400, 400, 400, 400, 400]); // -1022, weight counted against the sender's address
    // It ignored the 429s: banned, 418 -1003 until a time two minutes ahead, Retry-After to match.
    expect(last).toMatchObject({ status: 418, body: { code: -1003 } });
    expect(last!.body.msg).toMatch(/IP banned until \d+/);
    expect(Number(last!.headers['retry-after'])).toBeGreaterThan(100);
    expect(Number(last!.headers['retry-after'])).toBeLessThanOrEqual(120);
    // The key's owner, elsewhere, is untouched; so is anyone else.
    const own = await signedRaw(server.url, victim, 'GET', '/fapi/v2/balance', {}, { from: '127.0.8.2' });
    expect(own.status).toBe(200);
    expect(Number(own.headers['x-mbx-used-weight-1m'])).toBeLessThanOrEqual(10);
    expect((await rawRequest(server.url, { path: '/fapi/v1/ping', from: '127.0.8.3' })).status).toBe(200);
    expect((await rawRequest(server.url, { path: '/fapi/v1/ping', from: '127.0.8.1' })).status).toBe(418);
  });

  it('counts orders per account across all of its keys, with Retry-After on -1015', async () => {
    const keys = [multiKey, await server.admin.createApiKey(multiKey.accountId, ['read', 'trade']),
      await server.admin.createApiKey(multiKey.accountId, ['read', 'trade'])];
    await insideWindow(10_000, 4_000);
    const answers = [];
    for (let i = 0; i < 6; i++) {
      answers.push(await signedRaw(server.url, keys[i % 3]!, 'POST', '/fapi/v1/order', { ...ORDER, price: String(51_000 + i) },
        { from: '127.0.9.1' }));
    }
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200, 429]);
    expect(answers.map((answer) => answer.headers['x-mbx-order-count-10s'])).toEqual(['1', '2', '3', '4', '5', '6']);
    expect(answers[5]!.body).toMatchObject({ code: -1015 });
    expect(Number(answers[5]!.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(answers[5]!.headers['retry-after'])).toBeLessThanOrEqual(10);
  });

  afterAll(async () => {
    await server?.dispose();
  });

  it('counts orders per account with X-MBX-ORDER-COUNT-10S and answers -1015 with 429 beyond the limit', async () => {
    // Windows start at multiples of 10 s: start well inside one so the count cannot reset mid-test.
    while (Date.now() % 10_000 > 7_000) await new Promise((resolve) => setTimeout(resolve, 100));
    const statuses: number[] = [];
    let last: Awaited<ReturnType<typeof signedFetch>> | undefined;
    for (let i = 0; i < 7; i++) {
      last = await signedFetch(server.url, account, 'POST', '/fapi/v1/order', { ...ORDER, price: String(50000 + i) });
      statuses.push(last.status);
      expect(last.headers.get('x-mbx-order-count-10s')).toBe(String(i + 1));
    }
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(statuses[5]).toBe(429);
    expect(last!.body).toMatchObject({ code: -1015 });
  });

  it('weighs requests per IP with X-MBX-USED-WEIGHT-1M and answers -1003 with 429 beyond the limit', async () => {
    let response: Response | undefined;
    let used = 0;
    for (let i = 0; i < 80; i++) {
      response = await fetch(`${server.url}/fapi/v1/depth?symbol=BTCUSDT&limit=5`);
      used = Number(response.headers.get('x-mbx-used-weight-1m'));
      if (response.status === 429) break;
      await response.text();
    }
    expect(response!.status).toBe(429);
    expect(used).toBeGreaterThan(60);
    expect(await response!.json()).toMatchObject({ code: -1003 });
  });
});
