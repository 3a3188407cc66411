/**
 * @module api/extra/lead-metrics
 * The pure arithmetic of a lead profile (docs/api.md "Lead profiles" states every definition):
 * - window PnL = equity at the end − equity at the start − net transfers in the window;
 *   ROI = PnL / (equity at the start + net transfers), undefined when that capital is not positive;
 * - a time-weighted equity index (transfers count at the start of the period they fall in), whose
 *   largest fall from a running peak is the maximum drawdown;
 * - Sharpe of the index's complete-day returns: mean / sample standard deviation × √365, risk-free 0.
 * Money stays bigint; ROI and drawdown are basis points truncated toward zero; Sharpe, a display
 * ratio, is the one float.
 */

/** Basis points in one (percentages are shown with 2 decimals: bps). */
export const BPS_ONE = 10_000n;
/** The equity index starts at 1, scaled by 1e8. */
const INDEX_ONE = 100_000_000n;
const DAYS_PER_YEAR = 365;

/** Equity at a sample time, and the net transfers since the previous sample. */
export interface EquitySample {
  readonly atMs: number;
  readonly equityE8: bigint;
  readonly transfersE8: bigint;
  /** A UTC midnight (a complete day ends here); the last sample, "now", is not. */
  readonly dayEnd: boolean;
}

export interface WindowFigures {
  readonly pnlE8: bigint;
  /** undefined when the window's capital (start equity + net transfers) is not positive. */
  readonly roiBps: bigint | undefined;
}

export function windowFigures(startEquityE8: bigint, endEquityE8: bigint, netTransfersE8: bigint): WindowFigures {
  const pnlE8 = endEquityE8 - startEquityE8 - netTransfersE8;
  const capitalE8 = startEquityE8 + netTransfersE8;
  return { pnlE8, roiBps: capitalE8 > 0n ? (pnlE8 * BPS_ONE) / capitalE8 : undefined };
}

/**
 * Period returns of the index: period i runs from sample i−1 (plus the transfers of period i,
 * counted at its start) to sample i. A period without positive capital has no return.
 */
function periodReturns(samples: readonly EquitySample[]): ({ numE8: bigint; capitalE8: bigint; dayEnd: boolean } | undefined)[] {
  const out: ({ numE8: bigint; capitalE8: bigint; dayEnd: boolean } | undefined)[] = [];
  for (let i = 1; i < samples.length; i++) {
    const capitalE8 = samples[i - 1]!.equityE8 + samples[i]!.transfersE8;
    const end = samples[i]!.equityE8;
    out.push(capitalE8 > 0n ? { numE8: end < 0n ? 0n : end, capitalE8, dayEnd: samples[i]!.dayEnd } : undefined);
  }
  return out;
}

/** Largest fall of the equity index from its running peak, in bps (a wipe-out is 10,000). */
export function maxDrawdownBps(samples: readonly EquitySample[]): bigint {
  let index = INDEX_ONE;
  let peak = INDEX_ONE;
  let worst = 0n;
  for (const period of periodReturns(samples)) {
    if (period === undefined) continue;
    index = (index * period.numE8) / period.capitalE8;
    if (index > peak) peak = index;
    const drawdown = ((peak - index) * BPS_ONE) / peak;
    if (drawdown > worst) worst = drawdown;
  }
  return worst;
}

/**
 * The index at each sample as a cumulative return in bps (index − 1, truncated toward zero), the
 * profile's performance curve: the same index whose falls are the maximum drawdown, so deposits and
 * withdrawals do not show as gains or losses. The first sample is 0.
 */
export function cumulativeReturnsBps(samples: readonly EquitySample[]): bigint[] {
  if (samples.length === 0) return [];
  let index = INDEX_ONE;
  const out = [0n];
  for (const period of periodReturns(samples)) {
    if (period !== undefined) index = (index * period.numE8) / period.capitalE8;
    out.push(((index - INDEX_ONE) * BPS_ONE) / INDEX_ONE);
  }
  return out;
}

/** Annualised Sharpe of the complete-day returns (undefined with fewer than 2, or no variation). */
export function sharpeRatio(samples: readonly EquitySample[]): number | undefined {
  const returns = periodReturns(samples)
    .filter((period): period is NonNullable<typeof period> => period !== undefined && period.dayEnd)
    .map((period) => Number(((period.numE8 - period.capitalE8) * INDEX_ONE) / period.capitalE8) / Number(INDEX_ONE));
  if (returns.length < 2) return undefined;
  const mean = returns.reduce((sum, value) => sum + value, 0) / returns.length;
  const variance = returns.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (returns.length - 1);
  if (variance === 0) return undefined;
  return (mean / Math.sqrt(variance)) * Math.sqrt(DAYS_PER_YEAR);
}

/** Win rate in bps of closing fills (undefined before the first close). */
export function winRateBps(closes: number, wins: number): bigint | undefined {
  return closes === 0 ? undefined : (BigInt(wins) * BPS_ONE) / BigInt(closes);
}
