/**
 * @module surveillance/risk/level-index
 * Positions filed under a price level (ticks) in fixed-width buckets, so "every position whose level
 * lies between two marks" costs the buckets walked plus the positions in them, not a scan of every
 * position. A mark that moves one second's worth walks one or two buckets.
 */

/** Ticks per bucket: 64 ticks is $6.40 on BTCUSDT, $0.64 on ETHUSDT. */
export const BUCKET_TICKS = 64;

export interface Leveled {
  /** The level this item is filed under (−1: not filed). Each index needs its own handle object. */
  indexedTicks: number;
}

/** A handle that files `owner` in one index (an owner filed in two indexes has two handles). */
export class LevelHandle<O> implements Leveled {
  indexedTicks = -1;

  constructor(readonly owner: O) {}
}

export class LevelIndex<T extends Leveled> {
  private readonly buckets = new Map<number, Set<T>>();
  size = 0;

  /** Files (or re-files) `item` under `ticks`; a negative or infinite level removes it. */
  set(item: T, ticks: number): void {
    if (item.indexedTicks === ticks) return;
    this.remove(item);
    if (ticks < 0 || !Number.isSafeInteger(ticks)) return;
    const key = Math.floor(ticks / BUCKET_TICKS);
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      bucket = new Set();
      this.buckets.set(key, bucket);
    }
    bucket.add(item);
    item.indexedTicks = ticks;
    this.size++;
  }

  remove(item: T): void {
    if (item.indexedTicks < 0) return;
    const key = Math.floor(item.indexedTicks / BUCKET_TICKS);
    const bucket = this.buckets.get(key);
    if (bucket !== undefined && bucket.delete(item)) {
      this.size--;
      if (bucket.size === 0) this.buckets.delete(key);
    }
    item.indexedTicks = -1;
  }

  /** Calls `visit` for every item filed at a level in [lowTicks, highTicks]. */
  forRange(lowTicks: number, highTicks: number, visit: (item: T) => void): void {
    if (highTicks < lowTicks) return;
    const first = Math.floor(Math.max(0, lowTicks) / BUCKET_TICKS);
    const last = Math.floor(Math.min(highTicks, Number.MAX_SAFE_INTEGER) / BUCKET_TICKS);
    // A very wide range over few buckets: walk the buckets that exist instead of every key.
    if (last - first > this.buckets.size * 4) {
      for (const [key, bucket] of this.buckets) if (key >= first && key <= last) visitRange(bucket, lowTicks, highTicks, visit);
      return;
    }
    for (let key = first; key <= last; key++) {
      const bucket = this.buckets.get(key);
      if (bucket !== undefined) visitRange(bucket, lowTicks, highTicks, visit);
    }
  }
}

function visitRange<T extends Leveled>(bucket: Set<T>, lowTicks: number, highTicks: number, visit: (item: T) => void): void {
  for (const item of bucket) if (item.indexedTicks >= lowTicks && item.indexedTicks <= highTicks) visit(item);
}
