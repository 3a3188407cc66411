// Shared by the examples: where the venue is (PERPX_URL, default http://127.0.0.1:8080), its data
// directory (PERPX_DATA_DIR, default ./perpx-data: demo-accounts.json and admin-token), ccxt pointed
// at it exactly as `perpx serve` prints, and the operator calls the manual-price examples use.
import ccxt from 'ccxt';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const URL = process.env.PERPX_URL ?? 'http://127.0.0.1:8080';
export const DATA_DIR = process.env.PERPX_DATA_DIR ?? './perpx-data';
export const BTC = 'BTC/USDT:USDT';

/** The accounts `perpx serve --demo` created: [{ accountId, apiKey, apiSecret }]. */
export function demoAccounts() {
  return JSON.parse(readFileSync(join(DATA_DIR, 'demo-accounts.json'), 'utf8'));
}

function adminToken() {
  return process.env.PERPX_ADMIN_TOKEN ?? readFileSync(join(DATA_DIR, 'admin-token'), 'utf8').trim();
}

/** The operator API (`/admin/v1`): GET without a body, POST with one. */
export async function admin(path, body) {
  const response = await fetch(`${URL}/admin/v1${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${adminToken()}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const answer = await response.json();
  if (!response.ok) throw new Error(`${path}: ${answer.code} ${answer.msg}`);
  return answer;
}

/** ccxt binanceusdm (pro, so it can also watch streams) for an account, every URL at perpx. */
export function exchange(account) {
  const exchange = new ccxt.pro.binanceusdm({
    apiKey: account.apiKey, secret: account.apiSecret,
    options: { fetchCurrencies: false },
    urls: { api: { fapiPublic: `${URL}/fapi/v1`, fapiPublicV2: `${URL}/fapi/v2`, fapiPublicV3: `${URL}/fapi/v3`,
      fapiPrivate: `${URL}/fapi/v1`, fapiPrivateV2: `${URL}/fapi/v2`, fapiPrivateV3: `${URL}/fapi/v3`,
      fapiData: `${URL}/futures/data`, public: `${URL}/api/v3`, private: `${URL}/api/v3`, sapi: `${URL}/sapi/v1`,
      ws: { future: `${URL.replace(/^http/, 'ws')}/ws` } } },
  });
  exchange.exceptions.exact = { ...exchange.exceptions.exact, ...exchange.exceptions.linear.exact };
  return exchange;
}

/** A new account with `deposit` USDT (operator API), as { accountId, apiKey, apiSecret }. */
export async function newAccount(deposit) {
  return admin('/accounts', { deposit });
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** `maker` quotes 50 BTC each side at ± 0.5 around `price` (its earlier quotes come off first). */
export async function quoteAround(maker, price) {
  await maker.cancelAllOrders(BTC);
  await maker.createOrder(BTC, 'limit', 'buy', 50, price - 0.5);
  await maker.createOrder(BTC, 'limit', 'sell', 50, price + 0.5);
}

/** Manual price mode: sets BTC's index and waits (up to 8 s) for the mark to follow within 0.02 %. */
export async function setIndex(maker, price) {
  await admin('/index-price', { symbol: 'BTCUSDT', price: String(price) });
  for (let waited = 0; waited < 8_000; waited += 100) {
    const mark = Number((await maker.fetchMarkPrice(BTC)).markPrice);
    if (Math.abs(mark - price) <= price / 5000) return;
    await sleep(100);
  }
}

/**
 * A jump of the index the way the web UI's walkthrough makes it: the maker's quotes come off (they
 * would be outside the new price limits), the index moves, the mark follows, and the maker quotes
 * around the new index.
 */
export async function moveIndex(maker, price) {
  await maker.cancelAllOrders(BTC);
  await setIndex(maker, price);
  await quoteAround(maker, price);
}
