/**
 * @module api/ws/kline-ticker
 * When a kline stream pushes, trades or not: on a trade (at most every 250 ms), every
 * KLINE_IDLE_PUSH_MS while the period is quiet, and at each period's end, when the finished candle
 * goes out once more with `x: true` before the next period's candle (an empty one at the last
 * close until a trade opens it), as Binance's stream does.
 */
import type { KlineModel } from '../read-models/klines.js';
import type { Interval } from '../read-models/klines.js';
import type { KlineRow } from '../read-models/store.js';

/** A quiet period's candle is re-sent this often (Binance pushes klines every few seconds without trades). */
export const KLINE_IDLE_PUSH_MS = 2_000;

interface Sent {
  row: KlineRow;
  atMs: number;
}

export class KlineTicker {
  private readonly sent = new Map<string, Sent>();

  constructor(private readonly klines: KlineModel) {}

  /** Candles to publish on `stream` now, in order (finished candle first). */
  due(stream: string, symbol: string, interval: Interval, traded: boolean, nowMs: number): KlineRow[] {
    const current = this.klines.candleAt(symbol, interval, nowMs);
    if (current === undefined) return [];
    const last = this.sent.get(stream);
    const out: KlineRow[] = [];
    if (last !== undefined && last.row.openTimeMs < current.openTimeMs) {
      // The previous period ended: its final state (the model's row object kept every trade).
      const finished = this.klines.openCandle(symbol, interval);
      out.push(finished !== undefined && finished.openTimeMs === last.row.openTimeMs ? finished : last.row);
    }
    if (out.length > 0 || traded || last === undefined || nowMs - last.atMs >= KLINE_IDLE_PUSH_MS) out.push(current);
    if (out.length > 0) this.sent.set(stream, { row: current, atMs: nowMs });
    return out;
  }

  forget(stream: string): void {
    this.sent.delete(stream);
  }
}
