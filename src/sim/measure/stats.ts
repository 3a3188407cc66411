/**
 * @module sim/measure/stats
 * The few statistics the comparison with real data uses: Pearson correlation, log returns of a
 * price series with holes (NaN), and rounding for the summary.
 */

/** Pearson correlation of paired samples; pairs where either value is not finite are skipped. NaN with < 3 pairs. */
export function pearson(xs: readonly number[], ys: readonly number[]): number {
  let n = 0;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < xs.length && i < ys.length; i++) {
    if (!Number.isFinite(xs[i]!) || !Number.isFinite(ys[i]!)) continue;
    n++;
    sx += xs[i]!;
    sy += ys[i]!;
  }
  if (n < 3) return NaN;
  const mx = sx / n;
  const my = sy / n;
  let cov = 0;
  let vx = 0;
  let vy = 0;
  for (let i = 0; i < xs.length && i < ys.length; i++) {
    if (!Number.isFinite(xs[i]!) || !Number.isFinite(ys[i]!)) continue;
    const dx = xs[i]! - mx;
    const dy = ys[i]! - my;
    cov += dx * dy;
    vx += dx * dx;
    vy += dy * dy;
  }
  return vx === 0 || vy === 0 ? NaN : cov / Math.sqrt(vx * vy);
}

/** ln(p[i] / p[i−1]); NaN where either price is missing. */
export function logReturns(prices: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 1; i < prices.length; i++) {
    const a = prices[i - 1]!;
    const b = prices[i]!;
    out.push(a > 0 && b > 0 ? Math.log(b / a) : NaN);
  }
  return out;
}

/** Mean of the finite values (NaN when there are none). */
export function mean(values: readonly number[]): number {
  let n = 0;
  let s = 0;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    n++;
    s += v;
  }
  return n === 0 ? NaN : s / n;
}

/** Rounds to `digits` decimals; NaN and infinities become null (JSON has no NaN). */
export function round(x: number, digits = 6): number | null {
  if (!Number.isFinite(x)) return null;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
