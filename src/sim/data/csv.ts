/**
 * @module sim/data/csv
 * Parses candle CSV text. Two layouts are accepted, with or without a header row:
 * - the Binance public kline layout (data.binance.vision, 12 columns: open_time, open, high, low,
 *   close, volume, close_time, quote_volume, count, taker_buy_volume, taker_buy_quote_volume,
 *   ignore);
 * - the simple layout `open_time_ms,open,high,low,close,volume`.
 * Open times may be in milliseconds or microseconds (Binance spot files from 2025 on use µs);
 * a value above 10^14 is taken as µs. Every problem is reported with the line number and the
 * field, so a user who downloaded a file knows what to fix.
 */
import type { Candle, CandleSeries } from './candle.js';

export class CandleFormatError extends Error {
  constructor(readonly source: string, readonly line: number, detail: string) {
    super(`${source}${line > 0 ? `:${line}` : ''}: ${detail}`);
    this.name = 'CandleFormatError';
  }
}

const NUMBER_RE = /^-?\d+(?:\.\d+)?$/;
const FIELD_NAMES = ['open_time', 'open', 'high', 'low', 'close', 'volume'] as const;
const MICROS_THRESHOLD = 1e14;

function isHeader(fields: readonly string[]): boolean {
  return !NUMBER_RE.test((fields[0] ?? '').trim());
}

/** Parses candle CSV text; `source` names the file in error messages. */
export function parseCandleCsv(text: string, source = 'candles'): CandleSeries {
  const lines = text.split(/\r?\n/);
  const candles: Candle[] = [];
  let columns = 0;
  let headerSeen = false;
  for (let index = 0; index < lines.length; index++) {
    const raw = lines[index]!.trim();
    if (raw === '') continue;
    const lineNo = index + 1;
    const fields = raw.split(',').map((field) => field.trim().replace(/^"(.*)"$/, '$1'));
    if (candles.length === 0 && !headerSeen && isHeader(fields)) {
      headerSeen = true;
      if (fields.length !== 6 && fields.length !== 12) {
        throw new CandleFormatError(source, lineNo,
          `header has ${fields.length} columns; expected 6 (open_time_ms,open,high,low,close,volume) or 12 (Binance kline)`);
      }
      columns = fields.length;
      continue;
    }
    if (fields.length !== 6 && fields.length !== 12) {
      throw new CandleFormatError(source, lineNo,
        `${fields.length} columns; expected 6 (open_time_ms,open,high,low,close,volume) or 12 (Binance kline)`);
    }
    if (columns === 0) columns = fields.length;
    else if (fields.length !== columns) {
      throw new CandleFormatError(source, lineNo, `${fields.length} columns where earlier rows have ${columns}`);
    }
    for (let f = 0; f < 6; f++) {
      if (!NUMBER_RE.test(fields[f]!)) {
        throw new CandleFormatError(source, lineNo, `${FIELD_NAMES[f]} "${fields[f]}" is not a number`);
      }
    }
    let openTime = Number(fields[0]);
    if (!Number.isSafeInteger(openTime) || openTime < 0) {
      throw new CandleFormatError(source, lineNo, `open_time "${fields[0]}" is not a non-negative integer`);
    }
    if (openTime > MICROS_THRESHOLD) openTime = Math.floor(openTime / 1000);
    const [open, high, low, close, volume] = [1, 2, 3, 4, 5].map((f) => Number(fields[f]));
    if (!(low! > 0)) throw new CandleFormatError(source, lineNo, `low ${fields[3]} must be positive`);
    if (!(high! >= low!)) throw new CandleFormatError(source, lineNo, `high ${fields[2]} is below low ${fields[3]}`);
    if (open! < low! || open! > high!) {
      throw new CandleFormatError(source, lineNo, `open ${fields[1]} is outside [low ${fields[3]}, high ${fields[2]}]`);
    }
    if (close! < low! || close! > high!) {
      throw new CandleFormatError(source, lineNo, `close ${fields[4]} is outside [low ${fields[3]}, high ${fields[2]}]`);
    }
    if (!(volume! >= 0)) throw new CandleFormatError(source, lineNo, `volume ${fields[5]} must be ≥ 0`);
    const previous = candles[candles.length - 1];
    if (previous !== undefined && openTime <= previous.openTimeMs) {
      throw new CandleFormatError(source, lineNo,
        `open time ${openTime} is not after the previous row's ${previous.openTimeMs} (rows must be sorted, no duplicates)`);
    }
    candles.push({
      openTimeMs: openTime, open: open!, high: high!, low: low!, close: close!, volume: volume!,
      text: [fields[1]!, fields[2]!, fields[3]!, fields[4]!],
    });
  }
  if (candles.length === 0) throw new CandleFormatError(source, 0, 'no candle rows');
  const intervalMs = inferInterval(candles);
  const gaps: [number, number][] = [];
  for (let i = 1; i < candles.length; i++) {
    const a = candles[i - 1]!.openTimeMs;
    const b = candles[i]!.openTimeMs;
    if (b - a > intervalMs) gaps.push([a, b]);
  }
  return { source, intervalMs, candles, gaps };
}

/** Most common spacing (a file with gaps still has its real interval); one candle: one minute. */
function inferInterval(candles: readonly Candle[]): number {
  if (candles.length < 2) return 60_000;
  const counts = new Map<number, number>();
  for (let i = 1; i < candles.length; i++) {
    const d = candles[i]!.openTimeMs - candles[i - 1]!.openTimeMs;
    counts.set(d, (counts.get(d) ?? 0) + 1);
  }
  let best = 0;
  let bestCount = -1;
  for (const [d, count] of [...counts.entries()].sort((x, y) => x[0] - y[0])) {
    if (count > bestCount) {
      best = d;
      bestCount = count;
    }
  }
  return best;
}

/** Candles whose open time lies in [startMs, endMs]. */
export function sliceCandles(series: CandleSeries, startMs: number | undefined, endMs: number | undefined): CandleSeries {
  const candles = series.candles.filter((c) =>
    (startMs === undefined || c.openTimeMs >= startMs) && (endMs === undefined || c.openTimeMs <= endMs));
  if (candles.length === 0) {
    throw new CandleFormatError(series.source, 0,
      `no candles in the window ${startMs === undefined ? '…' : new Date(startMs).toISOString()} → ` +
      `${endMs === undefined ? '…' : new Date(endMs).toISOString()} (file covers ` +
      `${new Date(series.candles[0]!.openTimeMs).toISOString()} → ` +
      `${new Date(series.candles[series.candles.length - 1]!.openTimeMs).toISOString()})`);
  }
  const gaps = series.gaps.filter(([a, b]) => candles[0]!.openTimeMs <= a && b <= candles[candles.length - 1]!.openTimeMs);
  return { source: series.source, intervalMs: series.intervalMs, candles, gaps };
}
