/**
 * Market set-up and stream lists shared by the load tests: a book with many levels on every
 * instrument (so partial-depth streams carry full messages), and the name of every stream a
 * connection can subscribe to.
 */
import type { CreatedAccount } from '../../../src/api/admin-client.js';
import { signedFetch, type ServerProcess } from './server.js';

export const INDEX_PRICES = { BTCUSDT: { price: 60_000, step: 10, qty: '0.01' }, ETHUSDT: { price: 3_000, step: 1, qty: '0.1' } } as const;

/** Sets index prices and rests `levels` bids and asks per instrument from a new, well-funded account. */
export async function deepBook(server: ServerProcess, levels: number): Promise<CreatedAccount> {
  for (const [symbol, { price }] of Object.entries(INDEX_PRICES)) await server.admin.setIndexPrice(symbol, String(price));
  const maker = await server.admin.createAccount('10000000');
  for (const [symbol, { price, step, qty }] of Object.entries(INDEX_PRICES)) {
    for (let i = 1; i <= levels; i++) {
      for (const [side, at] of [['BUY', price - i * step], ['SELL', price + i * step]] as const) {
        await signedFetch(server.url, maker, 'POST', '/fapi/v1/order',
          { symbol, side, type: 'LIMIT', timeInForce: 'GTC', quantity: qty, price: String(at) });
      }
    }
  }
  return maker;
}

const KLINE_INTERVALS = ['1m', '3m', '5m', '15m', '30m', '1h', '2h', '4h', '6h', '8h', '12h', '1d', '3d', '1w', '1M'];

/** Every market stream of every instrument, and the all-market ones. */
export function allStreams(): string[] {
  const names = ['!markPrice@arr', '!markPrice@arr@1s', '!ticker@arr', '!miniTicker@arr', '!bookTicker', '!forceOrder@arr'];
  for (const symbol of Object.keys(INDEX_PRICES).map((name) => name.toLowerCase())) {
    for (const levels of ['', '5', '10', '20']) {
      for (const speed of ['', '@100ms', '@250ms', '@500ms']) names.push(`${symbol}@depth${levels}${speed}`);
    }
    for (const kind of ['aggTrade', 'trade', 'markPrice', 'markPrice@1s', 'bookTicker', 'ticker', 'miniTicker', 'forceOrder']) {
      names.push(`${symbol}@${kind}`);
    }
    for (const interval of KLINE_INTERVALS) names.push(`${symbol}@kline_${interval}`);
  }
  return names;
}
