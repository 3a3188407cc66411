/**
 * @module sim/data/bootstrap
 * Block bootstrap of real candles for Monte Carlo. Each candle becomes four ratios to the
 * previous close (open, high, low, close); a path is whole blocks of consecutive candles drawn
 * with replacement and chained from a start price, so volatility clustering and crash shapes
 * inside a block survive, wicks included. Works at any candle interval (1m, 5m, 1h).
 */
import type { ScaledDecimal } from '../../core/index.js';
import type { Rng } from '../rng.js';
import type { Candle, TickCandle } from './candle.js';
import { priceToTicks } from './ticks.js';

export class BlockBootstrap {
  private readonly ratios: Float64Array;
  readonly count: number;

  constructor(candles: readonly Candle[], readonly blockLength: number, readonly intervalMs: number) {
    if (candles.length < 2) throw new Error('bootstrap needs at least two candles');
    if (!Number.isInteger(blockLength) || blockLength < 1) throw new Error('block length must be a positive integer');
    this.count = candles.length - 1;
    this.ratios = new Float64Array(this.count * 4);
    for (let i = 1; i < candles.length; i++) {
      const previous = candles[i - 1]!.close;
      const c = candles[i]!;
      const at = (i - 1) * 4;
      this.ratios[at] = c.open / previous;
      this.ratios[at + 1] = c.high / previous;
      this.ratios[at + 2] = c.low / previous;
      this.ratios[at + 3] = c.close / previous;
    }
  }

  /** A path of `length` candles starting at `startPrice`, on the tick grid. */
  path(rng: Rng, length: number, startPrice: number, startMs: number, tick: ScaledDecimal): TickCandle[] {
    const out: TickCandle[] = [];
    let price = startPrice;
    const block = Math.min(this.blockLength, this.count);
    while (out.length < length) {
      const start = rng.int(this.count - block + 1);
      for (let j = 0; j < block && out.length < length; j++) {
        const at = (start + j) * 4;
        const open = priceToTicks(price * this.ratios[at]!, tick);
        const close = priceToTicks(price * this.ratios[at + 3]!, tick);
        const high = Math.max(priceToTicks(price * this.ratios[at + 1]!, tick), open, close);
        const low = Math.max(1, Math.min(priceToTicks(price * this.ratios[at + 2]!, tick), open, close));
        out.push({
          openTimeMs: startMs + out.length * this.intervalMs, durationMs: this.intervalMs,
          openTicks: open, highTicks: high, lowTicks: low, closeTicks: close,
        });
        price *= this.ratios[at + 3]!;
      }
    }
    return out;
  }
}
