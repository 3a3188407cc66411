/**
 * A seeded generator of malformed API requests for the fuzz tests. Every request is built to be
 * rejected: either it fails authentication (bad signature, stale timestamp, unknown key, bad admin
 * token) or it carries at least one "poison" parameter that no parser accepts (non-decimal,
 * negative, over-precise or huge numbers, bad enums, unknown symbols, broken JSON), so the venue
 * must never see a command from it. The rest of each request is randomly valid or invalid.
 */
import { createHmac } from 'node:crypto';
import type { CreatedAccount } from '../../../src/api/admin-client.js';
import { Sfc32 } from '../../../src/sim/rng.js';
import { publicFetch, signedFetch, type ServerProcess } from './server.js';

/** Seeded uniform floats in [0, 1) from the project's sfc32 stream. */
export function seeded(seed: number): () => number {
  const stream = new Sfc32(seed);
  return () => stream.float();
}

export interface FuzzRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
  /** True when the endpoint changes state if it succeeds (a 2xx here would be a bug). */
  readonly mutating: boolean;
}

const BAD_DECIMALS = ['-1', 'abc', '1e3', '0x1f', 'NaN', 'Infinity', '1.2.3', '99999999999999999999999999', '0.00000000001',
  '１', '1;DROP TABLE orders', '\u0000', '--1', '+1', '1,5', ' 1', '1 ', '.', '-0.001', '1'.repeat(70), '[]', '{}', 'true'];
const BAD_SIDES = ['buy', 'HOLD', 'BUYY', 'SELL ', '0', 'null'];
const BAD_TYPES = ['limit', 'ICEBERG', 'STOP_LOSS', 'OCO', 'LIMIT_MAKER', '🚀'];
const BAD_SYMBOLS = ['btcusdt', 'FOO', 'BTCUSDT ', 'BTC-USDT', 'BTCUSDT\u0000', 'X'.repeat(40), 'ETH/USDT', '*'];
const BAD_INTS = ['-5', 'ten', '1.5', '1e9', '99999999999999999999', '0x10', ''];
const JUNK = ['%', '%zz', '%E0%A4%A', '&&&', '===', '\u2028', '<script>', '${x}', '../../etc/passwd', 'a=b=c', ' ', '\t'];

const SYMBOLS = ['BTCUSDT', 'ETHUSDT'];
const SIDES = ['BUY', 'SELL'];
const TYPES = ['LIMIT', 'MARKET', 'STOP', 'STOP_MARKET', 'TAKE_PROFIT', 'TAKE_PROFIT_MARKET', 'TRAILING_STOP_MARKET'];

interface Endpoint {
  readonly method: string;
  readonly path: string;
  readonly mutating: boolean;
  /** Parameters with a generator of valid values. */
  readonly params: Record<string, () => string>;
  /** Parameters that can carry poison, with their poison lists. */
  readonly poison: Record<string, readonly string[]>;
}

export class FuzzGenerator {
  private readonly random: () => number;
  private counter = 0;
  private readonly endpoints: Endpoint[];

  constructor(seed: number, private readonly accounts: readonly CreatedAccount[], private readonly adminToken: string) {
    this.random = seeded(seed);
    const r = this.random;
    const pick = <T>(items: readonly T[]): T => items[Math.floor(r() * items.length)]!;
    const qty = (): string => pick(['0.001', '0.01', '1', '0.5', '120']);
    const px = (): string => pick(['60000', '59999.9', '1000', '3000.01', '70000']);
    const order = {
      symbol: () => pick(SYMBOLS), side: () => pick(SIDES), type: () => pick(TYPES), timeInForce: () => pick(['GTC', 'IOC', 'FOK', 'GTX']),
      quantity: qty, price: px, stopPrice: px, reduceOnly: () => pick(['true', 'false']),
      newClientOrderId: () => `fz${this.counter}`,
    };
    const orderPoison = { symbol: BAD_SYMBOLS, side: BAD_SIDES, type: BAD_TYPES, quantity: BAD_DECIMALS, price: BAD_DECIMALS,
      stopPrice: BAD_DECIMALS, reduceOnly: ['yes', '1', 'TRUEE'], timeInForce: ['GTD', 'gtc', 'DAY'], newClientOrderId: ['bad id!', 'x'.repeat(37)],
      callbackRate: BAD_DECIMALS, workingType: ['LAST', 'mark'], positionSide: ['UP', 'long'], activationPrice: BAD_DECIMALS };
    // The algo endpoint names the client id clientAlgoId and the activation price activatePrice.
    const { newClientOrderId: _clientId, activationPrice: _activation, ...algoCommon } = orderPoison;
    const algoPoison = { ...algoCommon, clientAlgoId: ['bad id!', 'x'.repeat(37)], activatePrice: BAD_DECIMALS };
    this.endpoints = [
      { method: 'POST', path: '/fapi/v1/order', mutating: true, params: order, poison: orderPoison },
      { method: 'POST', path: '/fapi/v1/algoOrder', mutating: true, params: { ...order, algoType: () => 'CONDITIONAL', triggerPrice: px },
        poison: { ...algoPoison, triggerPrice: BAD_DECIMALS, algoType: ['VP', 'TWAP', 'conditional'] } },
      { method: 'PUT', path: '/fapi/v1/order', mutating: true, params: { symbol: order.symbol, side: order.side, orderId: () => String(1 + Math.floor(r() * 50)), quantity: qty, price: px },
        poison: { symbol: BAD_SYMBOLS, side: BAD_SIDES, orderId: BAD_INTS.filter((v) => v !== ''), quantity: BAD_DECIMALS, price: BAD_DECIMALS } },
      { method: 'DELETE', path: '/fapi/v1/order', mutating: true, params: { symbol: order.symbol, orderId: () => String(1 + Math.floor(r() * 50)) },
        poison: { symbol: BAD_SYMBOLS, orderId: BAD_INTS.filter((v) => v !== ''), origClientOrderId: ['bad id!', '\u0000'] } },
      { method: 'DELETE', path: '/fapi/v1/allOpenOrders', mutating: true, params: { symbol: order.symbol }, poison: { symbol: BAD_SYMBOLS } },
      { method: 'POST', path: '/fapi/v1/batchOrders', mutating: true, params: {},
        poison: { batchOrders: ['[{"symbol":', '{}', '[]', '[1,2]', 'null', `[${'{}'.repeat(3)}]`, '[{"symbol":"BTCUSDT","side":"BUY","type":"LIMIT","quantity":"abc"}]',
          '[{"symbol":"BTCUSDT","side":"BUY","type":"MARKET","quantity":"0.001","x":{}}]', JSON.stringify(Array(6).fill({ symbol: 'BTCUSDT' }))] } },
      { method: 'POST', path: '/fapi/v1/leverage', mutating: true, params: { symbol: order.symbol, leverage: () => pick(['1', '20', '125']) },
        poison: { symbol: BAD_SYMBOLS, leverage: [...BAD_INTS, '0', '126', '1000'] } },
      { method: 'POST', path: '/fapi/v1/marginType', mutating: true, params: { symbol: order.symbol, marginType: () => pick(['ISOLATED', 'CROSSED']) },
        poison: { symbol: BAD_SYMBOLS, marginType: ['CROSS', 'isolated', ''] } },
      { method: 'POST', path: '/fapi/v1/positionMargin', mutating: true, params: { symbol: order.symbol, amount: qty, type: () => pick(['1', '2']) },
        poison: { symbol: BAD_SYMBOLS, amount: BAD_DECIMALS, type: ['0', '3', 'add', ...BAD_INTS] } },
      { method: 'GET', path: '/fapi/v1/order', mutating: false, params: { symbol: order.symbol, orderId: () => '1' },
        poison: { symbol: BAD_SYMBOLS, orderId: BAD_INTS } },
      { method: 'GET', path: '/fapi/v1/allOrders', mutating: false, params: { symbol: order.symbol, limit: () => '10' },
        poison: { symbol: BAD_SYMBOLS, limit: [...BAD_INTS, '0', '1001'], startTime: BAD_INTS.filter((v) => v !== '') } },
      { method: 'GET', path: '/fapi/v1/userTrades', mutating: false, params: { symbol: order.symbol },
        poison: { symbol: BAD_SYMBOLS, fromId: BAD_INTS.filter((v) => v !== ''), limit: ['0', '5000', 'x'] } },
      { method: 'GET', path: '/fapi/v1/income', mutating: false, params: {}, poison: { incomeType: ['FOO', 'pnl'], limit: ['0', '1001', 'x'], page: ['0', '-1'] } },
      { method: 'GET', path: '/fapi/v1/depth', mutating: false, params: { symbol: order.symbol }, poison: { symbol: BAD_SYMBOLS, limit: ['7', '0', '5000', 'x'] } },
      { method: 'GET', path: '/fapi/v1/klines', mutating: false, params: { symbol: order.symbol, interval: () => pick(['1m', '1h', '1d', '1M']) },
        poison: { symbol: BAD_SYMBOLS, interval: ['2m', '1y', '60', ''], limit: ['0', '2000', 'x'], startTime: BAD_INTS.filter((v) => v !== '') } },
      { method: 'GET', path: '/fapi/v1/aggTrades', mutating: false, params: { symbol: order.symbol }, poison: { symbol: BAD_SYMBOLS, fromId: ['-1', 'x'], limit: ['0', '1001'] } },
      { method: 'GET', path: '/fapi/v1/premiumIndex', mutating: false, params: {}, poison: { symbol: BAD_SYMBOLS } },
      { method: 'GET', path: '/fapi/v1/ticker/24hr', mutating: false, params: {}, poison: { symbol: BAD_SYMBOLS } },
      { method: 'GET', path: '/fapi/v3/positionRisk', mutating: false, params: {}, poison: { symbol: BAD_SYMBOLS } },
    ];
  }

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)]!;
  }

  /** Encodes the pairs, now and then with raw junk in a value — never in `poisoned`'s value, which must reach the parser. */
  private encode(pairs: [string, string][], poisoned?: string): string {
    return pairs.map(([k, v]) => (k !== poisoned && this.random() < 0.05 ? `${k}=${this.pick(JUNK)}` : `${k}=${encodeURIComponent(v)}`))
      .join('&');
  }

  next(): FuzzRequest {
    this.counter++;
    const roll = this.random();
    if (roll < 0.55) return this.poisonedSigned();
    if (roll < 0.7) return this.badAuth();
    if (roll < 0.8) return this.admin();
    return this.garbage();
  }

  /** Name of the parameter the last params() call poisoned. */
  private poisoned = '';

  private params(endpoint: Endpoint): [string, string][] {
    const pairs: [string, string][] = [];
    for (const [name, value] of Object.entries(endpoint.params)) if (this.random() < 0.9) pairs.push([name, value()]);
    const poisoned = Object.entries(endpoint.poison);
    const [name, values] = this.pick(poisoned);
    const index = pairs.findIndex(([key]) => key === name);
    const poison: [string, string] = [name, this.pick(values)];
    if (index >= 0) pairs[index] = poison;
    else pairs.push(poison);
    // The poison parameter must be parsed: drop it only when it is a required one left empty.
    if (poison[1] === '' && !(name in endpoint.params)) pairs[pairs.length - 1] = [name, 'x'];
    this.poisoned = name;
    return pairs;
  }

  private sign(account: CreatedAccount, pairs: [string, string][], timestamp = Date.now(), poisoned?: string): string {
    const payload = `${this.encode([...pairs, ['fuzz', String(this.counter)]], poisoned)}&timestamp=${timestamp}&recvWindow=60000`;
    return `${payload}&signature=${createHmac('sha256', account.apiSecret).update(payload).digest('hex')}`;
  }

  private poisonedSigned(): FuzzRequest {
    const endpoint = this.pick(this.endpoints);
    const account = this.pick(this.accounts);
    const signed = this.sign(account, this.params(endpoint), Date.now(), this.poisoned);
    const headers: Record<string, string> = { 'X-MBX-APIKEY': account.apiKey };
    if (endpoint.method !== 'GET' && this.random() < 0.5) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      return { method: endpoint.method, path: endpoint.path, headers, body: signed, mutating: endpoint.mutating };
    }
    return { method: endpoint.method, path: `${endpoint.path}?${signed}`, headers, mutating: endpoint.mutating };
  }

  /** Valid-looking parameters (possibly a perfectly good order) with broken authentication. */
  private badAuth(): FuzzRequest {
    const endpoint = this.pick(this.endpoints.filter((candidate) => candidate.mutating));
    const account = this.pick(this.accounts);
    const pairs: [string, string][] = Object.entries(endpoint.params).map(([name, value]) => [name, value()]);
    const kind = this.pick(['badSig', 'stale', 'future', 'unknownKey', 'noKey', 'wrongSecret', 'truncatedSig', 'noTimestamp']);
    const timestamp = kind === 'stale' ? Date.now() - 120_000 : kind === 'future' ? Date.now() + 30_000 : Date.now();
    let signed = this.sign(kind === 'wrongSecret' ? { ...account, apiSecret: 'x'.repeat(64) } : account, pairs, timestamp);
    if (kind === 'badSig') signed = signed.replace(/signature=(.)/, (_m, c: string) => `signature=${c === 'a' ? 'b' : 'a'}`);
    if (kind === 'truncatedSig') signed = signed.slice(0, -10);
    if (kind === 'noTimestamp') signed = signed.replace(/&timestamp=\d+/, '');
    const headers: Record<string, string> = kind === 'noKey' ? {} : { 'X-MBX-APIKEY': kind === 'unknownKey' ? 'f'.repeat(64) : account.apiKey };
    return { method: endpoint.method, path: `${endpoint.path}?${signed}`, headers, mutating: true };
  }

  private admin(): FuzzRequest {
    const paths = ['/admin/v1/accounts', '/admin/v1/api-keys', '/admin/v1/deposit', '/admin/v1/withdraw', '/admin/v1/transfer',
      '/admin/v1/insurance', '/admin/v1/index-price'];
    const path = this.pick(paths);
    const account = this.pick(this.accounts).accountId;
    const valid: Record<string, Record<string, unknown>> = {
      '/admin/v1/accounts': { deposit: '100' }, '/admin/v1/api-keys': { accountId: account, permissions: ['read'] },
      '/admin/v1/deposit': { accountId: account, asset: 'USDT', amount: '5' }, '/admin/v1/withdraw': { accountId: account, amount: '5' },
      '/admin/v1/transfer': { fromAccountId: account, toAccountId: account + 1, amount: '5' }, '/admin/v1/insurance': { amount: '5' },
      '/admin/v1/index-price': { symbol: 'BTCUSDT', price: '61000' },
    };
    const body = { ...valid[path] };
    if (this.random() < 0.4) {
      // Good body, bad token.
      return { method: 'POST', path, headers: { authorization: this.pick(['Bearer wrong', 'Basic abc', '', `Bearer ${this.adminToken}x`]),
        'content-type': 'application/json' }, body: JSON.stringify(body), mutating: true };
    }
    const field = this.pick(Object.keys(body));
    const poison = this.pick<unknown>(['-5', 'abc', '1.123456789', '', null, [], {}, -1, 0, 1e300, '1e3', 'NaN', true, '-0', '0.000000001']);
    const mutated = this.random() < 0.3 ? { ...body, extra: 1 } : { ...body, [field]: field === 'permissions' ? ['admin'] : poison };
    const text = this.random() < 0.2 ? JSON.stringify(mutated).slice(0, -1 - Math.floor(this.random() * 5)) : JSON.stringify(mutated);
    return { method: 'POST', path, headers: { authorization: `Bearer ${this.adminToken}`, 'content-type': 'application/json' },
      body: text, mutating: true };
  }

  private garbage(): FuzzRequest {
    const kind = this.pick(['path', 'method', 'body', 'query', 'json', 'ws']);
    const junk = (): string => Array.from({ length: 1 + Math.floor(this.random() * 40) },
      () => String.fromCharCode(32 + Math.floor(this.random() * 95))).join('');
    switch (kind) {
      case 'path': return { method: 'GET', path: `/fapi/${encodeURIComponent(junk())}`, headers: {}, mutating: false };
      case 'method': return { method: this.pick(['PATCH', 'OPTIONS', 'PUT', 'DELETE']), path: this.pick(['/fapi/v1/time', '/fapi/v1/exchangeInfo', '/admin/v1/ledger']),
        headers: {}, mutating: false };
      case 'body': return { method: 'POST', path: '/fapi/v1/order', headers: { 'content-type': this.pick(['application/octet-stream', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data']) },
        body: junk(), mutating: true };
      case 'query': return { method: 'GET', path: `/fapi/v1/depth?${this.pick(JUNK)}${junk().replace(/[#]/g, '')}`, headers: {}, mutating: false };
      case 'json': return { method: 'POST', path: '/fapi/v1/order', headers: { 'content-type': 'application/json', 'X-MBX-APIKEY': this.pick(this.accounts).apiKey },
        body: JSON.stringify({ symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.001' }), mutating: true };
      default: return { method: 'GET', path: `/ws/${encodeURIComponent(junk())}`, headers: {}, mutating: false };
    }
  }
}

export interface FuzzResult {
  readonly requests: number;
  readonly byStatus: Map<number, number>;
  readonly serverErrors: string[];
  readonly acceptedMutations: string[];
  readonly nonJson: string[];
  readonly ms: number;
}

function allElementsRejected(text: string): boolean {
  try {
    const body = JSON.parse(text) as unknown;
    return Array.isArray(body) && body.every((element) => typeof (element as { code?: unknown }).code === 'number');
  } catch {
    return false;
  }
}

/** Sends `count` generated requests with `concurrency` in flight (keep-alive connections). */
export async function runFuzz(url: string, generator: FuzzGenerator, count: number, concurrency: number): Promise<FuzzResult> {
  const byStatus = new Map<number, number>();
  const serverErrors: string[] = [];
  const acceptedMutations: string[] = [];
  const nonJson: string[] = [];
  let sent = 0;
  const started = Date.now();
  const worker = async (): Promise<void> => {
    while (sent < count) {
      sent++;
      const request = generator.next();
      const response = await fetch(`${url}${request.path}`, {
        method: request.method, headers: request.headers, ...(request.body === undefined ? {} : { body: request.body }),
      });
      const text = await response.text();
      byStatus.set(response.status, (byStatus.get(response.status) ?? 0) + 1);
      const label = `${request.method} ${request.path.slice(0, 160)} ${request.body?.slice(0, 160) ?? ''} → ${response.status} ${text.slice(0, 160)}`;
      if (response.status >= 500) serverErrors.push(label);
      // Batch endpoints answer 200 with one {code,msg} per rejected element (as Binance does).
      if (request.mutating && response.status < 300 && !allElementsRejected(text)) acceptedMutations.push(label);
      if (response.status !== 101 && !request.path.startsWith('/ws/')) {
        try {
          JSON.parse(text);
        } catch {
          nonJson.push(label);
        }
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { requests: count, byStatus, serverErrors, acceptedMutations, nonJson, ms: Date.now() - started };
}

export const FUZZ_SERVER_ARGS = ['--rate-limit-weight', '1000000000', '--rate-limit-orders-10s', '1000000000',
  '--rate-limit-orders-1m', '1000000000'];

export async function fuzzSetup(server: ServerProcess): Promise<CreatedAccount[]> {
  await server.admin.fundInsurance('1000');
  await server.admin.setIndexPrice('BTCUSDT', '60000');
  await server.admin.setIndexPrice('ETHUSDT', '3000');
  const accounts = [await server.admin.createAccount('10000'), await server.admin.createAccount('10000')];
  // One resting order so cancels and amends by id have something real to miss.
  await signedFetch(server.url, accounts[0]!, 'POST', '/fapi/v1/order',
    { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.001', price: '59000' });
  return accounts;
}

export async function stateOf(server: ServerProcess, accounts: readonly CreatedAccount[]): Promise<unknown> {
  const { seq: _seq, ...ledger } = await server.admin.ledger();
  const depth = (await publicFetch(server.url, '/fapi/v1/depth?symbol=BTCUSDT')).body as { bids: unknown; asks: unknown };
  const orders = [];
  for (const account of accounts) orders.push((await signedFetch(server.url, account, 'GET', '/fapi/v1/openOrders')).body);
  return { ledger, bids: depth.bids, asks: depth.asks, orders };
}

