/**
 * @module sim/measure/cascade
 * A cascade's shape on the simulated venue, set beside what was published about the real one
 * (scenario `compare.cascade`): liquidations and ADL fills inside the window, how long after the
 * window's first liquidation the first ADL fill came, the window's share of the replay's liquidated
 * notional, and the per-minute profile of liquidated notional against a published per-minute ADL
 * profile (Hyperliquid's time buckets for 10 October 2025), both normalized. And open interest day
 * on day (`compare.openInterest`): the simulated daily mean (over the part of each day the replay
 * covers) against Binance's published daily means.
 */
import { readFileSync } from 'node:fs';
import { resolveDataFile } from '../data/load.js';
import type { SimResult } from '../run/batch.js';
import { toMs } from '../scenario/load.js';
import { pearson, round } from './stats.js';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

export interface CascadeComparison {
  readonly startMs: number;
  readonly endMs: number;
  readonly liquidations: number;
  readonly adlFills: number;
  readonly liquidatedUsdt: number;
  /** Window's share of the replay's liquidated notional. */
  readonly shareOfReplay: number;
  readonly firstLiquidationMs: number | null;
  readonly firstAdlMs: number | null;
  readonly firstAdlAfterSec: number | null;
  /** Per minute of the window: simulated liquidated notional and ADL, and the published profile, each as a share of its total. */
  readonly minuteStartMs: number;
  readonly simulatedProfile: readonly number[];
  readonly simulatedAdlProfile: readonly number[];
  readonly publishedProfile: readonly number[] | null;
  readonly profileCorrelation: number | null;
  readonly published: string;
}

export interface OpenInterestComparison {
  readonly days: readonly string[];
  readonly simulatedMeanBase: readonly (number | null)[];
  readonly realMeanBase: readonly (number | null)[];
  readonly simulatedChange: number | null;
  readonly realChange: number | null;
  /** Hours of each day the replay covers (the simulated mean is over those). */
  readonly hoursCovered: readonly number[];
}

/** Per-minute totals of a time-bucketed file (`bucket_time_ms`, `bucket_adl_notional_usd`; one total per bucket). */
export function loadBucketProfile(file: string, baseDir: string, startMs: number, minutes: number): number[] {
  const { path, tried } = resolveDataFile(file, baseDir);
  if (path === undefined) throw new Error(`${file}: file not found (looked in: ${tried.join(', ')})`);
  const lines = readFileSync(path, 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = lines[0]!.split(',');
  const timeAt = header.indexOf('bucket_time_ms');
  const valueAt = header.indexOf('bucket_adl_notional_usd');
  if (timeAt < 0 || valueAt < 0) throw new Error(`${path}: expected bucket_time_ms and bucket_adl_notional_usd columns`);
  const profile = new Array<number>(minutes).fill(0);
  const seen = new Set<number>();
  for (const line of lines.slice(1)) {
    const fields = line.split(',');
    const atMs = Number(fields[timeAt]);
    // The file repeats a bucket's total on each of its per-asset rows: count it once.
    if (seen.has(atMs)) continue;
    seen.add(atMs);
    const m = Math.floor((atMs - startMs) / MINUTE_MS);
    if (m >= 0 && m < minutes) profile[m]! += Number(fields[valueAt]);
  }
  return profile;
}

const normalize = (xs: readonly number[]): number[] => {
  const total = xs.reduce((s, x) => s + x, 0);
  return xs.map((x) => (total === 0 ? 0 : round(x / total, 5)!));
};

export function compareCascade(result: SimResult): CascadeComparison | null {
  const cascade = result.spec.compare?.cascade;
  if (cascade === undefined) return null;
  const startMs = toMs(cascade.start);
  const endMs = toMs(cascade.end);
  const minutes = Math.ceil((endMs - startMs) / MINUTE_MS);
  const { liquidations } = result.recorder;
  const inside = liquidations.filter((l) => l.atMs >= startMs && l.atMs < endMs);
  const usdtPerTickLot = Number(result.world.view.instrument.quotePerTickLotE8) / 1e8;
  const notional = (l: (typeof liquidations)[number]): number => l.qtyLots * l.markTicks * usdtPerTickLot;
  const total = liquidations.reduce((s, l) => s + notional(l), 0);
  const profile = new Array<number>(minutes).fill(0);
  const adlProfile = new Array<number>(minutes).fill(0);
  for (const l of inside) {
    const m = Math.floor((l.atMs - startMs) / MINUTE_MS);
    profile[m]! += notional(l);
    adlProfile[m]! += l.adlLots * l.markTicks * usdtPerTickLot;
  }
  const firstLiquidationMs = inside[0]?.atMs ?? null;
  const firstAdlMs = inside.find((l) => l.adlFills > 0)?.atMs ?? null;
  let published: number[] | null = null;
  if (cascade.publishedProfile !== undefined) {
    try {
      published = loadBucketProfile(cascade.publishedProfile, result.baseDir, startMs, minutes);
    } catch {
      published = null;
    }
  }
  const liquidatedUsdt = inside.reduce((s, l) => s + notional(l), 0);
  return {
    startMs, endMs, liquidations: inside.length,
    adlFills: inside.reduce((s, l) => s + l.adlFills, 0),
    liquidatedUsdt: round(liquidatedUsdt, 2)!,
    shareOfReplay: round(total === 0 ? 0 : liquidatedUsdt / total, 4)!,
    firstLiquidationMs, firstAdlMs,
    firstAdlAfterSec: firstLiquidationMs === null || firstAdlMs === null ? null : (firstAdlMs - firstLiquidationMs) / 1000,
    minuteStartMs: startMs,
    simulatedProfile: normalize(profile),
    simulatedAdlProfile: normalize(adlProfile),
    publishedProfile: published === null ? null : normalize(published),
    profileCorrelation: published === null ? null : round(pearson(profile, published), 4),
    published: cascade.published,
  };
}

/** Daily mean open interest from a metrics file (`date,oi,…`). */
function loadDailyOpenInterest(file: string, baseDir: string): Map<string, number> {
  const { path, tried } = resolveDataFile(file, baseDir);
  if (path === undefined) throw new Error(`${file}: file not found (looked in: ${tried.join(', ')})`);
  const lines = readFileSync(path, 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = lines[0]!.split(',');
  const dateAt = header.indexOf('date');
  const oiAt = header.indexOf('oi');
  if (dateAt < 0 || oiAt < 0) throw new Error(`${path}: expected date and oi columns`);
  return new Map(lines.slice(1).map((line) => {
    const fields = line.split(',');
    return [fields[dateAt]!, Number(fields[oiAt])];
  }));
}

export function compareOpenInterest(result: SimResult): OpenInterestComparison | null {
  const spec = result.spec.compare?.openInterest;
  if (spec === undefined) return null;
  let real: Map<string, number> | undefined;
  try {
    real = loadDailyOpenInterest(spec.file, result.baseDir);
  } catch {
    real = undefined;
  }
  const lot = Number(result.world.view.instrument.lot.digits) / 10 ** result.world.view.instrument.lot.scale;
  const simulated: (number | null)[] = [];
  const hours: number[] = [];
  for (const day of spec.days) {
    const from = Date.parse(`${day}T00:00:00Z`);
    const samples = result.recorder.samples.filter((s) => s.atMs >= from && s.atMs < from + DAY_MS);
    simulated.push(samples.length === 0 ? null : round(samples.reduce((s, x) => s + x.openInterestLots, 0) * lot / samples.length, 3));
    hours.push(samples.length === 0 ? 0 : round((samples[samples.length - 1]!.atMs - samples[0]!.atMs) / 3_600_000, 1)!);
  }
  const realMeans = spec.days.map((d) => real?.get(d) ?? null);
  const change = (xs: readonly (number | null)[]): number | null =>
    xs.length < 2 || xs[0] === null || xs[xs.length - 1] === null || xs[0] === 0 ? null : round(xs[xs.length - 1]! / xs[0]! - 1, 4);
  return {
    days: spec.days, simulatedMeanBase: simulated, realMeanBase: realMeans.map((x) => (x === null ? null : round(x, 1))),
    simulatedChange: change(simulated), realChange: change(realMeans), hoursCovered: hours,
  };
}
