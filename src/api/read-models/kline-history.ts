/**
 * @module api/read-models/kline-history
 * Candles from a file (a replayed market's CSV, `perpx serve --history`) served as the venue's own
 * trade-kline history before its first trade, so backtest downloads through ccxt (`fetchOHLCV` with
 * `since`) get candles. They are written as stored base klines (1m, 1h, 1d — each base the file's
 * interval divides), only for periods that end before the venue's earliest stored candle, so the
 * venue's own candles are never overwritten and a restart imports nothing twice. A file candle has
 * no quote volume, trade count or taker split: those are 0.
 */
import type { BaseInterval, KlineRow, ReadStore } from './store.js';

export interface HistoryCandle {
  readonly openTimeMs: number;
  readonly openTicks: number;
  readonly highTicks: number;
  readonly lowTicks: number;
  readonly closeTicks: number;
  readonly volumeLots: number;
}

export interface KlineHistory {
  readonly symbol: string;
  readonly intervalMs: number;
  /** Ascending by open time. */
  readonly candles: readonly HistoryCandle[];
}

const BASES: readonly (readonly [BaseInterval, number])[] = [['1m', 60_000], ['1h', 3_600_000], ['1d', 86_400_000]];

/** Imports `history`'s candles that close before `beforeMs` and before the earliest stored candle; returns the rows written. */
export function importKlineHistory(store: ReadStore, history: KlineHistory, beforeMs: number): number {
  const earliest = store.klines(history.symbol, 'trade', '1d', 0, Number.MAX_SAFE_INTEGER, 1, false)[0]?.openTimeMs;
  const limitMs = Math.min(beforeMs, earliest ?? Number.MAX_SAFE_INTEGER);
  let written = 0;
  for (const [interval, baseMs] of BASES) {
    if (baseMs < history.intervalMs || baseMs % history.intervalMs !== 0) continue;
    let row: KlineRow | undefined;
    for (const candle of history.candles) {
      const openTimeMs = candle.openTimeMs - (candle.openTimeMs % baseMs);
      if (openTimeMs + baseMs > limitMs) break;
      if (row === undefined || row.openTimeMs !== openTimeMs) {
        if (row !== undefined) store.putKline(row);
        written++;
        row = {
          symbol: history.symbol, kind: 'trade', interval, openTimeMs, open: candle.openTicks, high: candle.highTicks,
          low: candle.lowTicks, close: candle.closeTicks, volumeLots: 0, quoteE8: 0n, trades: 0, takerBuyLots: 0,
          takerBuyQuoteE8: 0n, firstTradeId: -1, lastTradeId: -1,
        };
      }
      if (candle.highTicks > row.high) row.high = candle.highTicks;
      if (candle.lowTicks < row.low) row.low = candle.lowTicks;
      row.close = candle.closeTicks;
      row.volumeLots += candle.volumeLots;
    }
    if (row !== undefined) store.putKline(row);
  }
  store.flush();
  return written;
}
