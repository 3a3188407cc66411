/**
 * @module sim/measure/damage
 * "Price damage": how far the price breaks to new lows, in log terms, measured on the running low
 * from the replay's first price. Liquidation prices of long positions sit below the prices they
 * were opened at; a move only liquidates positions when it takes the price where it has not been
 * since they opened, so the depth of new lows, not the size of moves that retrace ground already
 * covered, is what a window's liquidated notional should follow. A window's share of damage is
 * the log depth of new lows made inside it over the whole replay's.
 */

export interface DamageSeries {
  /** Log depth of new lows made in each bucket. */
  readonly perBucket: readonly number[];
  readonly total: number;
}

/** Damage per bucket from bucket lows; `firstPrice` is where the running low starts. */
export function priceDamage(firstPrice: number, lows: readonly number[]): DamageSeries {
  let runningLow = firstPrice;
  let total = 0;
  const perBucket = lows.map((low) => {
    if (!(low > 0) || low >= runningLow) return 0;
    const depth = Math.log(runningLow / low);
    runningLow = low;
    total += depth;
    return depth;
  });
  return { perBucket, total };
}

/** Share of `values` falling in buckets [from, to). */
export function shareIn(values: readonly number[], from: number, to: number): number {
  let inside = 0;
  let total = 0;
  for (let i = 0; i < values.length; i++) {
    total += values[i]!;
    if (i >= from && i < to) inside += values[i]!;
  }
  return total === 0 ? 0 : inside / total;
}
