/**
 * @module api/read-models/klines
 * Candles from committed events: trade klines from Trade events (book trades; ADL fills are off-book
 * and excluded, as on Binance), mark and index klines from price events. Only the base intervals
 * 1m, 1h and 1d are stored; every Binance interval is an aggregation of the nearest base (3m..30m
 * of 1m, 2h..12h of 1h, 3d/1w/1M of 1d), so a query reads at most a few tens of thousands of rows.
 * The open candle of every interval is also kept in memory for the kline stream.
 */
import type { BaseInterval, KlineKind, KlineRow } from './store.js';

/** Where candles are stored and read back (the SQLite ReadStore; the PostgreSQL projector's snapshot). */
export interface KlineStore {
  /** Base candles with open time in [fromMs, toMs], ascending (the newest `limit` when newestFirst). */
  klines(symbol: string, kind: KlineKind, interval: BaseInterval, fromMs: number, toMs: number, limit: number,
    newestFirst: boolean, flushFirst?: boolean): KlineRow[];
  putKline(row: KlineRow): void;
}

export const INTERVALS = ['1m', '3m', '5m', '15m', '30m', '1h', '2h', '4h', '6h', '8h', '12h', '1d', '3d', '1w', '1M'] as const;
export type Interval = (typeof INTERVALS)[number];

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** 1970-01-05 was a Monday: Binance weeks start on Monday 00:00 UTC. */
const FIRST_MONDAY = 4 * DAY;

const FIXED_MS: Partial<Record<Interval, number>> = {
  '1m': MINUTE, '3m': 3 * MINUTE, '5m': 5 * MINUTE, '15m': 15 * MINUTE, '30m': 30 * MINUTE, '1h': HOUR, '2h': 2 * HOUR,
  '4h': 4 * HOUR, '6h': 6 * HOUR, '8h': 8 * HOUR, '12h': 12 * HOUR, '1d': DAY, '3d': 3 * DAY,
};

export function isInterval(text: string): text is Interval {
  return (INTERVALS as readonly string[]).includes(text);
}

export function baseOf(interval: Interval): BaseInterval {
  if (interval.endsWith('m')) return '1m';
  if (interval.endsWith('h')) return '1h';
  return '1d';
}

/** Base candles per interval candle, at most (1M: 31 days). */
function ratioOf(interval: Interval): number {
  if (interval === '1w') return 7;
  if (interval === '1M') return 31;
  const base = FIXED_MS[baseOf(interval)]!;
  return FIXED_MS[interval]! / base;
}

export function openTimeOf(interval: Interval, timeMs: number): number {
  const fixed = FIXED_MS[interval];
  if (fixed !== undefined) return timeMs - (timeMs % fixed);
  if (interval === '1w') return timeMs - ((((timeMs - FIRST_MONDAY) % (7 * DAY)) + 7 * DAY) % (7 * DAY));
  const date = new Date(timeMs);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
}

export function closeTimeOf(interval: Interval, openTimeMs: number): number {
  const fixed = FIXED_MS[interval];
  if (fixed !== undefined) return openTimeMs + fixed - 1;
  if (interval === '1w') return openTimeMs + 7 * DAY - 1;
  const date = new Date(openTimeMs);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1) - 1;
}

export function emptyKline(symbol: string, kind: KlineKind, interval: BaseInterval, openTimeMs: number, price: number): KlineRow {
  return {
    symbol, kind, interval, openTimeMs, open: price, high: price, low: price, close: price, volumeLots: 0, quoteE8: 0n,
    trades: 0, takerBuyLots: 0, takerBuyQuoteE8: 0n, firstTradeId: -1, lastTradeId: -1,
  };
}

/** Folds base candles (ascending) into candles of `interval`. */
export function aggregate(rows: readonly KlineRow[], interval: Interval): KlineRow[] {
  const out: KlineRow[] = [];
  let current: KlineRow | undefined;
  for (const row of rows) {
    const open = openTimeOf(interval, row.openTimeMs);
    if (current === undefined || current.openTimeMs !== open) {
      current = { ...row, openTimeMs: open };
      out.push(current);
      continue;
    }
    mergeInto(current, row);
  }
  return out;
}

function mergeInto(target: KlineRow, row: KlineRow): void {
  if (row.high > target.high) target.high = row.high;
  if (row.low < target.low) target.low = row.low;
  target.close = row.close;
  target.volumeLots += row.volumeLots;
  target.quoteE8 += row.quoteE8;
  target.trades += row.trades;
  target.takerBuyLots += row.takerBuyLots;
  target.takerBuyQuoteE8 += row.takerBuyQuoteE8;
  if (target.firstTradeId === -1) target.firstTradeId = row.firstTradeId;
  if (row.lastTradeId !== -1) target.lastTradeId = row.lastTradeId;
}

export interface KlineQuery {
  readonly startTime?: number;
  readonly endTime?: number;
  readonly limit: number;
  /**
   * The venue's time: with it, periods without a stored candle (no trade, no price event) up to
   * now are filled with a candle at the previous close and zero volume, as Binance returns them.
   */
  readonly nowMs?: number;
}

/** Open time of the period after the one opening at `openTimeMs`. */
export function nextOpenTimeOf(interval: Interval, openTimeMs: number): number {
  return closeTimeOf(interval, openTimeMs) + 1;
}

/** The open candles of one symbol and kind, by INTERVALS index, with each one's close time. */
interface OpenCandles {
  readonly rows: (KlineRow | undefined)[];
  readonly closes: number[];
}

const INTERVAL_INDEX = new Map<Interval, number>(INTERVALS.map((interval, index) => [interval, index]));
const BASE_INDEXES = [INTERVAL_INDEX.get('1m')!, INTERVAL_INDEX.get('1h')!, INTERVAL_INDEX.get('1d')!];
/** Only base candles are stored. */
const IS_BASE = INTERVALS.map((_, index) => BASE_INDEXES.includes(index));

export class KlineModel {
  /**
   * Open candle per `symbol|kind` and interval (every interval for trades, base ones for mark/index).
   * Every trade touches all 15 intervals, so the lookup is one map access per event and a time
   * comparison per interval, not a key string and a period computation per interval.
   */
  private readonly open = new Map<string, OpenCandles>();

  constructor(private readonly store: KlineStore) {}

  private candles(symbol: string, kind: KlineKind): OpenCandles {
    const key = `${symbol}|${kind}`;
    let candles = this.open.get(key);
    if (candles === undefined) {
      candles = { rows: new Array<KlineRow | undefined>(INTERVALS.length).fill(undefined), closes: new Array<number>(INTERVALS.length).fill(0) };
      this.open.set(key, candles);
    }
    return candles;
  }

  private current(candles: OpenCandles, index: number, symbol: string, kind: KlineKind, timeMs: number, price: number): KlineRow {
    let row = candles.rows[index];
    if (row !== undefined && timeMs >= row.openTimeMs && timeMs <= candles.closes[index]!) return row;
    // A new period, or the first one since start: resume from stored base candles of the period.
    const interval = INTERVALS[index]!;
    const openTimeMs = openTimeOf(interval, timeMs);
    const closeTimeMs = closeTimeOf(interval, openTimeMs);
    const base = baseOf(interval);
    // No flush here: this runs inside the projection of an entry, and a flush must never store half
    // an entry. Unflushed candles of this period can only be ones this entry just opened.
    const stored = this.store.klines(symbol, kind, base, openTimeMs, closeTimeMs, ratioOf(interval), false, false);
    const merged = aggregate(stored, interval)[0];
    row = merged === undefined ? emptyKline(symbol, kind, base, openTimeMs, price) : merged;
    candles.rows[index] = row;
    candles.closes[index] = closeTimeMs;
    return row;
  }

  /** The open candle for the kline stream (undefined before the first trade of the period). */
  openCandle(symbol: string, interval: Interval): KlineRow | undefined {
    return this.open.get(`${symbol}|trade`)?.rows[INTERVAL_INDEX.get(interval)!];
  }

  onTrade(symbol: string, tradeId: number, priceTicks: number, qtyLots: number, quoteE8: bigint, takerBuy: boolean,
    timeMs: number): void {
    const candles = this.candles(symbol, 'trade');
    for (let index = 0; index < INTERVALS.length; index++) {
      const row = this.current(candles, index, symbol, 'trade', timeMs, priceTicks);
      if (row.trades === 0 && row.volumeLots === 0) {
        row.open = priceTicks;
        row.high = priceTicks;
        row.low = priceTicks;
      }
      if (priceTicks > row.high) row.high = priceTicks;
      if (priceTicks < row.low) row.low = priceTicks;
      row.close = priceTicks;
      row.volumeLots += qtyLots;
      row.quoteE8 += quoteE8;
      row.trades++;
      if (takerBuy) {
        row.takerBuyLots += qtyLots;
        row.takerBuyQuoteE8 += quoteE8;
      }
      if (row.firstTradeId === -1) row.firstTradeId = tradeId;
      row.lastTradeId = tradeId;
      if (IS_BASE[index]!) this.store.putKline(row);
    }
  }

  onPrice(kind: 'mark' | 'index', symbol: string, priceTicks: number, timeMs: number): void {
    const candles = this.candles(symbol, kind);
    for (const index of BASE_INDEXES) {
      const row = this.current(candles, index, symbol, kind, timeMs, priceTicks);
      if (priceTicks > row.high) row.high = priceTicks;
      if (priceTicks < row.low) row.low = priceTicks;
      row.close = priceTicks;
      this.store.putKline(row);
    }
  }

  query(symbol: string, kind: KlineKind, interval: Interval, query: KlineQuery): KlineRow[] {
    const base = baseOf(interval);
    const ratio = ratioOf(interval);
    const from = query.startTime === undefined ? 0 : openTimeOf(interval, query.startTime);
    const to = query.endTime ?? Number.MAX_SAFE_INTEGER;
    const newestFirst = query.startTime === undefined;
    const rows = this.store.klines(symbol, kind, base, from, to, Math.min(query.limit * ratio + ratio, 200_000), newestFirst);
    let candles = base === interval ? rows : aggregate(rows, interval);
    if (newestFirst && base !== interval && candles.length > 0) {
      // The oldest group may be partial (cut by the row limit); drop it when there are enough others.
      if (candles.length > query.limit) candles = candles.slice(candles.length - query.limit);
    }
    if (query.nowMs !== undefined) return this.gapless(symbol, kind, interval, candles, { ...query, nowMs: query.nowMs });
    return newestFirst ? candles.slice(Math.max(0, candles.length - query.limit)) : candles.slice(0, query.limit);
  }

  /** The query's candles with every period from the first to now present (see KlineQuery.nowMs). */
  private gapless(symbol: string, kind: KlineKind, interval: Interval, candles: readonly KlineRow[],
    query: KlineQuery & { nowMs: number }): KlineRow[] {
    const lastOpen = openTimeOf(interval, Math.min(query.nowMs, query.endTime ?? query.nowMs));
    let start: number;
    let carry: KlineRow | undefined;
    if (query.startTime === undefined) {
      // The newest `limit` periods, never before the first candle. The fetch read at least `limit`
      // periods' worth of base rows, so a first candle after that window is the symbol's first.
      if (candles.length === 0) return [];
      let first = lastOpen;
      for (let count = 1; count < query.limit; count++) first = openTimeOf(interval, first - 1);
      start = Math.max(first, candles[0]!.openTimeMs);
    } else {
      start = openTimeOf(interval, query.startTime);
      // The close before the window carries into its leading empty periods.
      carry = this.store.klines(symbol, kind, baseOf(interval), 0, start - 1, 1, true).at(-1);
      if (carry === undefined) {
        if (candles.length === 0) return [];
        start = Math.max(start, candles[0]!.openTimeMs);
      }
    }
    const byOpen = new Map(candles.map((candle) => [candle.openTimeMs, candle]));
    for (const candle of candles) if (candle.openTimeMs < start) carry = candle;
    const out: KlineRow[] = [];
    for (let open = start; open <= lastOpen && out.length < query.limit; open = nextOpenTimeOf(interval, open)) {
      const candle = byOpen.get(open);
      if (candle !== undefined) carry = candle;
      out.push(candle ?? emptyKline(symbol, kind, baseOf(interval), open, carry!.close));
    }
    return out;
  }

  /**
   * The candle of `interval` open at `nowMs` for the kline stream: the open candle, or, when the
   * period has had no trade yet, an empty one at the last close (undefined before the first trade).
   */
  candleAt(symbol: string, interval: Interval, nowMs: number): KlineRow | undefined {
    const row = this.openCandle(symbol, interval);
    if (row === undefined) return undefined;
    const openTimeMs = openTimeOf(interval, nowMs);
    return row.openTimeMs >= openTimeMs ? row : emptyKline(symbol, 'trade', baseOf(interval), openTimeMs, row.close);
  }
}
