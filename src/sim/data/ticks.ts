/**
 * @module sim/data/ticks
 * Exact conversion of decimal price text onto an instrument's tick grid, with a stated rounding
 * direction. Candle files print more decimals than the tick (42882.54 on a 0.1 tick); the path
 * must never leave the candle, so a high rounds down, a low rounds up and open/close round to
 * the nearest tick, all in bigint arithmetic (no float ever decides a tick).
 */
import { parseDecimal, type ScaledDecimal } from '../../core/index.js';
import type { Candle, TickCandle } from './candle.js';

export type TickRounding = 'down' | 'up' | 'nearest';

/** Ticks of `text` (a plain positive decimal), or undefined when it is not one. */
export function decimalTextToTicks(text: string, tick: ScaledDecimal, rounding: TickRounding): number | undefined {
  const value = parseDecimal(text);
  if (value === undefined || value.digits < 0n) return undefined;
  const scale = Math.max(value.scale, tick.scale);
  const num = value.digits * 10n ** BigInt(scale - value.scale);
  const den = tick.digits * 10n ** BigInt(scale - tick.scale);
  let q = num / den;
  const r = num % den;
  if (r !== 0n) {
    if (rounding === 'up') q += 1n;
    else if (rounding === 'nearest' && r * 2n >= den) q += 1n;
  }
  if (q > BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
  return Number(q);
}

/** Ticks → decimal number for display and decision logic (never sent to the engine). */
export function ticksToPrice(ticks: number, tick: ScaledDecimal): number {
  return (ticks * Number(tick.digits)) / 10 ** tick.scale;
}

/** Price (float, from agents' logic) → nearest tick as an integer. */
export function priceToTicks(price: number, tick: ScaledDecimal): number {
  return Math.round((price * 10 ** tick.scale) / Number(tick.digits));
}

/**
 * The candle on the tick grid. High rounds down and low rounds up so every tick of the range is
 * inside the real candle; open and close round to nearest and are clamped into that range. A
 * candle narrower than one tick (no grid point inside) collapses to the tick nearest its close.
 */
export function toTickCandle(candle: Candle, durationMs: number, tick: ScaledDecimal): TickCandle {
  const [openText, highText, lowText, closeText] = candle.text;
  const open = decimalTextToTicks(openText, tick, 'nearest');
  const high = decimalTextToTicks(highText, tick, 'down');
  const low = decimalTextToTicks(lowText, tick, 'up');
  const close = decimalTextToTicks(closeText, tick, 'nearest');
  if (open === undefined || high === undefined || low === undefined || close === undefined) {
    throw new Error(`candle at ${candle.openTimeMs}: price is not a plain decimal`);
  }
  if (low > high) {
    return { openTimeMs: candle.openTimeMs, durationMs, openTicks: close, highTicks: close, lowTicks: close, closeTicks: close };
  }
  const clamp = (x: number): number => (x < low ? low : x > high ? high : x);
  return {
    openTimeMs: candle.openTimeMs, durationMs, openTicks: clamp(open), highTicks: high, lowTicks: low,
    closeTicks: clamp(close),
  };
}
