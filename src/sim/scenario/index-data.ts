/**
 * @module sim/scenario/index-data
 * The candles a scenario's index follows, as the data files say them (before the tick grid): one
 * file, or several joined in time (each next file continues after the previous one's last
 * candle), optionally rescaled to another file's hourly closes. The rescale is for an index in the
 * wrong quote currency: Binance's COIN-M BTCUSD index (1 minute, in USD) is the best 1-minute
 * index for 10 October 2025, but BTCUSDT is quoted in USDT, which traded up to 0.35 % above the
 * dollar after that evening's crash; multiplying each minute by the ratio of the USDT spot's hourly
 * close to the USD series at the same instant (linear in time between hour ends, the nearest ratio
 * outside them) keeps the minute path and lands every hour on the USDT spot close. The batch run
 * and the comparison with real data both read candles through here.
 */
import type { Candle } from '../data/candle.js';
import { sliceCandles } from '../data/csv.js';
import { loadCandleFile } from '../data/load.js';

export interface IndexCandle {
  readonly candle: Candle;
  readonly durationMs: number;
}

export interface IndexData {
  readonly candles: readonly IndexCandle[];
  readonly intervalMs: number;
  readonly sources: readonly string[];
  /** Gaps inside files plus discontinuities between them. */
  readonly gaps: number;
}

export interface IndexDataSpec {
  readonly files: readonly string[];
  readonly rescaleTo?: string | undefined;
  readonly baseDir: string;
  readonly fromMs?: number | undefined;
  readonly toMs?: number | undefined;
}

/** Throws (with the file's message) when a file is missing or malformed. */
export function loadIndexData(spec: IndexDataSpec): IndexData {
  const candles: IndexCandle[] = [];
  const sources: string[] = [];
  let intervalMs = 0;
  let gaps = 0;
  for (const file of spec.files) {
    const series = loadCandleFile(file, spec.baseDir);
    const last = candles[candles.length - 1];
    const start = last === undefined ? spec.fromMs : last.candle.openTimeMs + last.durationMs;
    if (spec.toMs !== undefined && start !== undefined && start > spec.toMs) break;
    const sliced = sliceCandles(series, start, spec.toMs);
    if (intervalMs === 0) intervalMs = sliced.intervalMs;
    gaps += sliced.gaps.length;
    if (start !== undefined && last !== undefined && sliced.candles[0]!.openTimeMs > start) gaps++;
    sources.push(sliced.source);
    for (const candle of sliced.candles) candles.push({ candle, durationMs: sliced.intervalMs });
  }
  const rescaled = spec.rescaleTo === undefined ? candles : rescale(candles, loadCandleFile(spec.rescaleTo, spec.baseDir).candles);
  return { candles: rescaled, intervalMs, sources, gaps };
}

/** Ratio anchors: at each anchor candle's close time, anchor close / the series' close then. */
function anchorsOf(candles: readonly IndexCandle[], anchor: readonly Candle[]): { atMs: number; ratio: number }[] {
  const out: { atMs: number; ratio: number }[] = [];
  if (anchor.length < 2) return out;
  const interval = anchor[1]!.openTimeMs - anchor[0]!.openTimeMs;
  let i = 0;
  for (const a of anchor) {
    const end = a.openTimeMs + interval;
    while (i < candles.length && candles[i]!.candle.openTimeMs + candles[i]!.durationMs < end) i++;
    const c = candles[i];
    if (c === undefined) break;
    if (c.candle.openTimeMs + c.durationMs === end) out.push({ atMs: end, ratio: a.close / c.candle.close });
  }
  return out;
}

function rescale(candles: readonly IndexCandle[], anchor: readonly Candle[]): IndexCandle[] {
  const anchors = anchorsOf(candles, anchor);
  if (anchors.length === 0) return [...candles];
  let k = 0;
  const ratioAt = (atMs: number): number => {
    while (k + 1 < anchors.length && anchors[k + 1]!.atMs <= atMs) k++;
    const a = anchors[k]!;
    const b = anchors[k + 1];
    if (atMs <= a.atMs || b === undefined) return a.ratio;
    return a.ratio + ((b.ratio - a.ratio) * (atMs - a.atMs)) / (b.atMs - a.atMs);
  };
  return candles.map(({ candle, durationMs }) => {
    const r = ratioAt(candle.openTimeMs + durationMs);
    const [open, high, low, close] = [candle.open * r, candle.high * r, candle.low * r, candle.close * r];
    return {
      durationMs,
      candle: { ...candle, open, high, low, close, text: [open, high, low, close].map((x) => x.toFixed(8)) as [string, string, string, string] },
    };
  });
}
