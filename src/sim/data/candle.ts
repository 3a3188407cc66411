/**
 * @module sim/data/candle
 * Candle shapes the simulator works with. `Candle` is what a file says (prices as the exact decimal
 * text, plus a float copy for statistics and charts); `TickCandle` is the same candle on an
 * instrument's tick grid, which is what the index path is built from. Only TickCandle prices ever
 * reach the engine.
 */

export interface Candle {
  readonly openTimeMs: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
  /** The price fields exactly as written in the file (open, high, low, close). */
  readonly text: readonly [string, string, string, string];
}

export interface CandleSeries {
  /** Where the candles came from (file path or a generator description). */
  readonly source: string;
  /** Candle length: the most common spacing of open times. */
  readonly intervalMs: number;
  readonly candles: readonly Candle[];
  /** Spacings longer than the interval (missing candles), as [previous open, next open]. */
  readonly gaps: readonly (readonly [number, number])[];
}

/** A candle on the tick grid: lowTicks ≤ openTicks, closeTicks ≤ highTicks always holds. */
export interface TickCandle {
  readonly openTimeMs: number;
  readonly durationMs: number;
  readonly openTicks: number;
  readonly highTicks: number;
  readonly lowTicks: number;
  readonly closeTicks: number;
}
