/**
 * @module api/read-models/ticker
 * Rolling 24-hour statistics (GET /fapi/v1/ticker/24hr, the @ticker stream) from the stored 1m
 * trade klines of the last 24 hours plus the last trade. Minute granularity: the window starts at
 * the first minute boundary after now − 24 h.
 */
import type { Instrument } from '../../core/index.js';
import { averagePrice, money, price, qty } from '../format.js';
import type { KlineModel } from './klines.js';
import type { SymbolState } from './market.js';

const DAY_MS = 86_400_000;

export interface Ticker24h {
  readonly symbol: string;
  readonly openTicks: number;
  readonly highTicks: number;
  readonly lowTicks: number;
  readonly lastTicks: number;
  readonly lastQtyLots: number;
  readonly volumeLots: number;
  readonly quoteE8: bigint;
  readonly count: number;
  readonly firstId: number;
  readonly lastId: number;
  readonly openTimeMs: number;
  readonly closeTimeMs: number;
}

export function ticker24h(klines: KlineModel, state: SymbolState, nowMs: number): Ticker24h {
  const symbol = state.instrument.symbol;
  const from = nowMs - DAY_MS + 60_000;
  const rows = klines.query(symbol, 'trade', '1m', { startTime: from, endTime: nowMs, limit: 1441 });
  const last = state.lastTrade;
  const lastTicks = last?.priceTicks ?? 0;
  if (rows.length === 0) {
    return { symbol, openTicks: lastTicks, highTicks: lastTicks, lowTicks: lastTicks, lastTicks, lastQtyLots: 0,
      volumeLots: 0, quoteE8: 0n, count: 0, firstId: -1, lastId: -1, openTimeMs: nowMs - DAY_MS, closeTimeMs: nowMs };
  }
  let high = rows[0]!.high;
  let low = rows[0]!.low;
  let volume = 0;
  let quote = 0n;
  let count = 0;
  for (const row of rows) {
    if (row.high > high) high = row.high;
    if (row.low < low) low = row.low;
    volume += row.volumeLots;
    quote += row.quoteE8;
    count += row.trades;
  }
  return {
    symbol, openTicks: rows[0]!.open, highTicks: high, lowTicks: low, lastTicks: last?.priceTicks ?? rows[rows.length - 1]!.close,
    lastQtyLots: last?.qtyLots ?? 0, volumeLots: volume, quoteE8: quote, count, firstId: rows[0]!.firstTradeId,
    lastId: rows[rows.length - 1]!.lastTradeId, openTimeMs: nowMs - DAY_MS, closeTimeMs: nowMs,
  };
}

/** Percent change with 3 decimals, truncated toward zero (Binance shows e.g. "-0.413"). */
function percentChange(openTicks: number, lastTicks: number): string {
  if (openTicks === 0) return '0.000';
  const scaled = (BigInt(lastTicks - openTicks) * 100_000n) / BigInt(openTicks);
  const negative = scaled < 0n;
  const abs = negative ? -scaled : scaled;
  const text = abs.toString().padStart(4, '0');
  return `${negative ? '-' : ''}${text.slice(0, -3)}.${text.slice(-3)}`;
}

export function ticker24hJson(instrument: Instrument, t: Ticker24h): Record<string, unknown> {
  return {
    symbol: t.symbol,
    priceChange: price(instrument, t.lastTicks - t.openTicks),
    priceChangePercent: percentChange(t.openTicks, t.lastTicks),
    weightedAvgPrice: t.volumeLots === 0 ? price(instrument, t.lastTicks) : averagePrice(instrument, t.quoteE8, t.volumeLots),
    lastPrice: price(instrument, t.lastTicks),
    lastQty: qty(instrument, t.lastQtyLots),
    openPrice: price(instrument, t.openTicks),
    highPrice: price(instrument, t.highTicks),
    lowPrice: price(instrument, t.lowTicks),
    volume: qty(instrument, t.volumeLots),
    quoteVolume: money(t.quoteE8),
    openTime: t.openTimeMs,
    closeTime: t.closeTimeMs,
    firstId: t.firstId,
    lastId: t.lastId,
    count: t.count,
  };
}
