/**
 * @module sim/measure/compare
 * Measures a replay against the real day (scenario `compare`): the simulated perpetual's 1-minute
 * returns against the real perpetual's (correlation), its low and the minute of it, the basis
 * (perpetual / spot − 1) minute by minute and at the low, the share of liquidated notional inside
 * the crash window against that window's share of price damage (damage.ts), the ADL share of
 * liquidated volume, and each funding settlement against the rate the real perpetual/spot
 * candles imply (funding.ts) and, when a funding file is given, the real settlement. The spot
 * side is the scenario's own index data, at its own resolution (1, 5 or 60 minutes): every
 * basis figure is taken on those buckets. Returns null when the scenario has no `compare` section,
 * and { available: false, reason } when a reference file is missing (tests then skip).
 */
import { compileInstrument } from '../../core/index.js';
import type { Candle } from '../data/candle.js';
import { sliceCandles } from '../data/csv.js';
import { loadCandleFile } from '../data/load.js';
import type { SimResult } from '../run/batch.js';
import { toMs } from '../scenario/load.js';
import { compareCascade, compareOpenInterest, type CascadeComparison, type OpenInterestComparison } from './cascade.js';
import { priceDamage, shareIn } from './damage.js';
import { fundingFromPremiums, loadFundingFile, settlementAt, type FundingParams } from './funding.js';
import { logReturns, mean, pearson, round } from './stats.js';
import { spotCandles } from './spot.js';
import type { IndexCandle } from '../scenario/index-data.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

export interface FundingComparison {
  readonly timeMs: number;
  readonly simulated: number;
  /** From the real perpetual's and spot's candles over the interval (null when they do not cover it). */
  readonly derivedFromCandles: number | null;
  /** The real settlement, when the scenario gives a funding file. */
  readonly real: number | null;
}

export interface HourShare {
  readonly hourMs: number;
  readonly liquidatedShare: number;
  readonly damageShare: number;
}

export interface Comparison {
  readonly available: true;
  readonly minutes: number;
  /** Correlation of the simulated and real perpetual's returns over the spot's buckets (1-minute for a 1-minute index). */
  readonly returnCorrelation: number | null;
  readonly low: {
    readonly simulated: number; readonly simulatedAtMs: number;
    readonly real: number; readonly realAtMs: number;
    /** simulated / real − 1. */
    readonly difference: number | null;
    readonly minutesApart: number;
  };
  readonly basis: {
    readonly bucketMs: number;
    readonly buckets: number;
    /** Correlation of the simulated and real basis paths (bucket closes). */
    readonly correlation: number | null;
    readonly meanAbsDifferenceBps: number | null;
    readonly simulatedMeanBps: number | null;
    readonly realMeanBps: number | null;
    /** In the crash window. */
    readonly crashSimulatedMeanBps: number | null;
    readonly crashRealMeanBps: number | null;
    /** Perpetual low / spot low − 1 in the bucket of the real low, real and simulated. */
    readonly atLowReal: number | null;
    readonly atLowSimulated: number | null;
    /** The most negative bucket-low basis of the replay. */
    readonly minReal: number | null;
    readonly minSimulated: number | null;
  };
  readonly crash: {
    readonly startMs: number;
    readonly endMs: number;
    readonly liquidatedShare: number;
    /** Share of the replay's price damage (new-low depth) in the window, on the index (spot) and on the real perpetual. */
    readonly damageShareSpot: number;
    readonly damageSharePerp: number;
  };
  readonly hourly: readonly HourShare[];
  readonly adlShareOfLiquidatedVolume: number;
  readonly funding: readonly FundingComparison[];
  readonly cascade: CascadeComparison | null;
  readonly openInterest: OpenInterestComparison | null;
  readonly fundingMeanAbsDifferenceVsDerived: number | null;
  readonly fundingMeanAbsDifferenceVsReal: number | null;
  readonly fundingDistinctRates: number;
  /** Per-minute series for the report's charts (USDT prices, NaN → null). */
  readonly series: {
    readonly minuteStartMs: number;
    readonly realPerpClose: readonly (number | null)[];
    readonly realBasisBps: readonly (number | null)[];
    readonly simBasisBps: readonly (number | null)[];
    readonly basisBucketMs: number;
  };
}

export type ComparisonResult = Comparison | { available: false; reason: string } | null;

function fundingParams(result: SimResult): FundingParams {
  const f = result.instrument.funding;
  return {
    interestRate: Number(f.interestRate), premiumClamp: Number(f.premiumClamp), rateCap: Number(f.rateCap),
    rateFloor: Number(f.rateFloor), intervalHours: f.intervalHours,
  };
}

/** Real candles keyed by open time. */
function byTime(candles: readonly Candle[]): Map<number, Candle> {
  return new Map(candles.map((c) => [c.openTimeMs, c]));
}

export function compareWithReality(result: SimResult): ComparisonResult {
  const compare = result.spec.compare;
  if (compare === undefined) return null;
  const baseDir = result.baseDir;
  let perpCandles: readonly Candle[];
  let spot: readonly IndexCandle[];
  try {
    perpCandles = sliceCandles(loadCandleFile(compare.perp, baseDir), result.startMs, result.endMs - 1).candles;
    spot = spotCandles(result, result.startMs, result.endMs - 1);
  } catch (error) {
    return { available: false, reason: (error as Error).message };
  }
  const instrument = compileInstrument(result.instrument);
  const tick = Number(instrument.tick.digits) / 10 ** instrument.tick.scale;
  const minutes = result.recorder.minutes;
  const n = minutes.length;
  const perp = byTime(perpCandles);
  // ---- The low (minute resolution).
  const simClose = minutes.lastCloses().map((t) => t * tick);
  const realClose: number[] = [];
  for (let m = 0; m < n; m++) realClose.push(perp.get(minutes.timeOf(m))?.close ?? NaN);
  let simLow = Infinity;
  let simLowAt = 0;
  for (let m = 0; m < n; m++) {
    const low = minutes.low[m]!;
    if (low * tick < simLow) {
      simLow = low * tick;
      simLowAt = minutes.timeOf(m);
    }
  }
  let realLow = Infinity;
  let realLowAt = 0;
  for (const c of perpCandles) {
    if (c.low < realLow) {
      realLow = c.low;
      realLowAt = c.openTimeMs;
    }
  }
  // ---- Returns and basis on the spot's buckets (its own candles: 1, 5 or 60 minutes).
  const bucketMs = spot[0]?.durationMs ?? MINUTE_MS;
  const simBucketClose: number[] = [];
  const realBucketClose: number[] = [];
  const simBasis: number[] = [];
  const realBasis: number[] = [];
  const simLowBasis: number[] = [];
  const realLowBasis: number[] = [];
  const inCrash: boolean[] = [];
  const crashStart = toMs(compare.crashWindow.start);
  const crashEnd = toMs(compare.crashWindow.end);
  let atLowReal: number | null = null;
  let atLowSim: number | null = null;
  for (let b = 0; b < spot.length; b++) {
    const s = spot[b]!.candle;
    const end = s.openTimeMs + spot[b]!.durationMs;
    const first = minutes.minuteOf(s.openTimeMs);
    const last = minutes.minuteOf(end) - 1;
    let simLo = Infinity;
    let realLo = Infinity;
    for (let m = Math.max(0, first); m <= last && m < n; m++) {
      if (minutes.low[m]! * tick < simLo) simLo = minutes.low[m]! * tick;
      const real = perp.get(minutes.timeOf(m));
      if (real !== undefined && real.low < realLo) realLo = real.low;
    }
    const lastMinute = Math.min(last, n - 1);
    simBucketClose.push(lastMinute >= 0 ? simClose[lastMinute]! : NaN);
    realBucketClose.push(lastMinute >= 0 ? realClose[lastMinute]! : NaN);
    simBasis.push(lastMinute >= 0 ? simClose[lastMinute]! / s.close - 1 : NaN);
    realBasis.push(lastMinute >= 0 ? realClose[lastMinute]! / s.close - 1 : NaN);
    simLowBasis.push(Number.isFinite(simLo) ? simLo / s.low - 1 : NaN);
    realLowBasis.push(Number.isFinite(realLo) ? realLo / s.low - 1 : NaN);
    inCrash.push(s.openTimeMs >= crashStart && s.openTimeMs < crashEnd);
    if (realLowAt >= s.openTimeMs && realLowAt < end) {
      atLowReal = realLowBasis[b]!;
      atLowSim = simLowBasis[b]!;
    }
  }
  const returnCorrelation = pearson(logReturns(simBucketClose), logReturns(realBucketClose));
  const diffs = simBasis.map((x, i) => Math.abs(x - realBasis[i]!));
  const bps = (x: number): number | null => round(x * 10_000, 2);
  const minOf = (xs: readonly number[]): number => xs.reduce((a, x) => (Number.isFinite(x) && x < a ? x : a), Infinity);
  // ---- Liquidations in the crash window against price damage, by hour too.
  const liquidated = minutes.longLiqUsdt.map((l, m) => l + minutes.shortLiqUsdt[m]!);
  const crashFrom = minutes.minuteOf(crashStart);
  const crashTo = minutes.minuteOf(crashEnd);
  const spotLowsByMinute: number[] = [];
  for (let m = 0; m < n; m++) spotLowsByMinute.push(NaN);
  for (const { candle: s } of spot) {
    const m = minutes.minuteOf(s.openTimeMs);
    if (m >= 0 && m < n) spotLowsByMinute[m] = s.low;
  }
  const firstSpot = spot[0]?.candle.open ?? NaN;
  const damageSpot = priceDamage(firstSpot, spotLowsByMinute);
  const damagePerp = priceDamage(perpCandles[0]?.open ?? NaN, realClose.map((_, m) => perp.get(minutes.timeOf(m))?.low ?? NaN));
  const hourly: HourShare[] = [];
  const totalLiq = liquidated.reduce((s, x) => s + x, 0);
  for (let h = 0; h * 60 < n; h++) {
    const from = h * 60;
    const to = Math.min(n, from + 60);
    hourly.push({
      hourMs: minutes.timeOf(from),
      liquidatedShare: round(totalLiq === 0 ? 0 : shareIn(liquidated, from, to), 4)!,
      damageShare: round(shareIn(damageSpot.perBucket, from, to), 4)!,
    });
  }
  // ---- Funding.
  const params = fundingParams(result);
  const realFunding = compare.funding === undefined ? undefined : loadFundingFile(compare.funding, baseDir);
  const intervalMs = params.intervalHours * HOUR_MS;
  const funding: FundingComparison[] = result.recorder.funding.map((f) => {
    const from = f.fundingTimeMs - intervalMs;
    const premiums: number[] = [];
    let covered = true;
    for (const { candle: s, durationMs } of spot) {
      if (s.openTimeMs < from || s.openTimeMs >= f.fundingTimeMs) continue;
      const real = perp.get(s.openTimeMs + durationMs - MINUTE_MS);
      if (real === undefined) covered = false;
      // One sample per minute of the bucket: the interval's premium is a time average.
      else for (let k = 0; k < durationMs / MINUTE_MS; k++) premiums.push(real.close / s.close - 1);
    }
    if (spot.length === 0 || spot[0]!.candle.openTimeMs > from) covered = false;
    const derived = covered && premiums.length > 0 ? fundingFromPremiums(premiums, params) : NaN;
    return {
      timeMs: f.fundingTimeMs, simulated: Number(f.rateE8) / 1e8, derivedFromCandles: round(derived, 8),
      real: realFunding === undefined ? null : settlementAt(realFunding, f.fundingTimeMs)?.rate ?? null,
    };
  });
  const vsDerived = funding.filter((f) => f.derivedFromCandles !== null).map((f) => Math.abs(f.simulated - f.derivedFromCandles!));
  const vsReal = funding.filter((f) => f.real !== null).map((f) => Math.abs(f.simulated - f.real!));
  const adlLots = result.recorder.liquidations.reduce((s, l) => s + l.adlLots, 0);
  const liqLots = result.recorder.liquidations.reduce((s, l) => s + l.qtyLots, 0);
  return {
    available: true,
    minutes: n,
    returnCorrelation: round(returnCorrelation, 4),
    low: {
      simulated: round(simLow, 2)!, simulatedAtMs: simLowAt, real: realLow, realAtMs: realLowAt,
      difference: round(simLow / realLow - 1, 5), minutesApart: Math.round((simLowAt - realLowAt) / MINUTE_MS),
    },
    basis: {
      bucketMs, buckets: spot.length,
      correlation: round(pearson(simBasis, realBasis), 4),
      meanAbsDifferenceBps: bps(mean(diffs)),
      simulatedMeanBps: bps(mean(simBasis)),
      realMeanBps: bps(mean(realBasis)),
      crashSimulatedMeanBps: bps(mean(simBasis.filter((_, i) => inCrash[i]))),
      crashRealMeanBps: bps(mean(realBasis.filter((_, i) => inCrash[i]))),
      atLowReal: round(atLowReal ?? NaN, 5), atLowSimulated: round(atLowSim ?? NaN, 5),
      minReal: round(minOf(realLowBasis), 5), minSimulated: round(minOf(simLowBasis), 5),
    },
    crash: {
      startMs: crashStart, endMs: crashEnd,
      liquidatedShare: round(totalLiq === 0 ? 0 : shareIn(liquidated, crashFrom, crashTo), 4)!,
      damageShareSpot: round(shareIn(damageSpot.perBucket, crashFrom, crashTo), 4)!,
      damageSharePerp: round(shareIn(damagePerp.perBucket, crashFrom, crashTo), 4)!,
    },
    hourly,
    adlShareOfLiquidatedVolume: round(liqLots === 0 ? 0 : adlLots / liqLots, 5)!,
    funding,
    fundingMeanAbsDifferenceVsDerived: round(mean(vsDerived), 8),
    fundingMeanAbsDifferenceVsReal: round(mean(vsReal), 8),
    fundingDistinctRates: new Set(funding.map((f) => f.simulated)).size,
    cascade: compareCascade(result),
    openInterest: compareOpenInterest(result),
    series: {
      minuteStartMs: minutes.startMs,
      realPerpClose: realClose.map((x) => round(x, 2)),
      realBasisBps: realBasis.map((x) => bps(x)),
      simBasisBps: simBasis.map((x) => bps(x)),
      basisBucketMs: bucketMs,
    },
  };
}
