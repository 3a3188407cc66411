/**
 * @module sim/data/index-path
 * A plausible intra-candle index path. A candle only says open, high, low and close; the path
 * visits them in the order the candle implies — a rising candle (close ≥ open) goes
 * open → low → high → close, a falling one open → high → low → close (the shorter of the two
 * tours; a flat candle picks by coin flip) — at seeded times, with a seeded Brownian-bridge wiggle
 * between the corners, clamped so no point ever leaves [low, high]. Points are integer ticks at
 * openTime + i × step, i = 0 … n−1 with n = ceil(duration / step): the first is the open, the last
 * the close. With fewer than four points per candle the corners are dropped from the middle out
 * (n = 1: the open; 2: open, close; 3: open, the farther extreme, close).
 */
import type { Rng } from '../rng.js';
import type { TickCandle } from './candle.js';

/** Fraction of a segment's length used as the wiggle's standard deviation over the segment. */
const WIGGLE = 0.12;

export function pointsPerCandle(durationMs: number, stepMs: number): number {
  return Math.max(1, Math.ceil(durationMs / stepMs));
}

/** Fills `out` (length ≥ n) with the candle's path in ticks; returns n. */
export function candlePath(candle: TickCandle, stepMs: number, rng: Rng, out: number[]): number {
  const n = pointsPerCandle(candle.durationMs, stepMs);
  const { openTicks: o, highTicks: h, lowTicks: l, closeTicks: c } = candle;
  const lowFirst = c > o || (c === o && rng.next() < 0.5);
  const first = lowFirst ? l : h;
  const second = lowFirst ? h : l;
  if (n === 1) {
    out[0] = o;
    return 1;
  }
  if (n === 2) {
    out[0] = o;
    out[1] = c;
    return 2;
  }
  if (n === 3) {
    out[0] = o;
    out[1] = Math.abs(h - o) >= Math.abs(o - l) ? h : l;
    out[2] = c;
    return 3;
  }
  // Corner indices 0 < i1 < i2 < n − 1, drawn uniformly.
  let u1 = rng.next();
  let u2 = rng.next();
  if (u1 > u2) [u1, u2] = [u2, u1];
  const inner = n - 2;
  let i1 = 1 + Math.floor(u1 * inner);
  if (i1 > n - 3) i1 = n - 3;
  let i2 = 1 + Math.floor(u2 * inner);
  if (i2 <= i1) i2 = i1 + 1;
  if (i2 > n - 2) i2 = n - 2;
  segment(out, 0, o, i1, first, l, h, rng);
  segment(out, i1, first, i2, second, l, h, rng);
  segment(out, i2, second, n - 1, c, l, h, rng);
  return n;
}

/** Writes points from index a (value va) to index b (value vb) inclusive: bridge + clamp. */
function segment(out: number[], a: number, va: number, b: number, vb: number, low: number, high: number, rng: Rng): void {
  out[a] = va;
  out[b] = vb;
  const k = b - a;
  if (k < 2) return;
  const sigma = ((Math.abs(vb - va) + (high - low) * 0.05) * WIGGLE) / Math.sqrt(k);
  // Random walk W_1..W_k, then the bridge X_j = linear + W_j − (j/k)·W_k pins both ends.
  let walk = 0;
  const walks: number[] = new Array<number>(k);
  for (let j = 1; j <= k; j++) {
    walk += rng.normal() * sigma;
    walks[j - 1] = walk;
  }
  const end = walks[k - 1]!;
  for (let j = 1; j < k; j++) {
    const linear = va + ((vb - va) * j) / k;
    let x = Math.round(linear + walks[j - 1]! - (end * j) / k);
    if (x < low) x = low;
    if (x > high) x = high;
    out[a + j] = x;
  }
}

export interface PathPoint {
  readonly atMs: number;
  readonly ticks: number;
}

/** Iterates the whole path of a candle list (candles may be produced lazily). */
export function* indexPath(candles: Iterable<TickCandle>, stepMs: number, rng: Rng): Generator<PathPoint> {
  const buffer: number[] = [];
  for (const candle of candles) {
    const n = candlePath(candle, stepMs, rng, buffer);
    for (let i = 0; i < n; i++) yield { atMs: candle.openTimeMs + i * stepMs, ticks: buffer[i]! };
  }
}
