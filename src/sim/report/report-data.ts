/**
 * @module sim/report/report-data
 * The numbers behind report.html's interactive charts, as plain arrays (times in seconds for
 * uPlot, prices in USDT, rates in bps): price with liquidation markers and the real perpetual,
 * basis against the real one, mark/index/last divergence, funding and premium, liquidated volume,
 * each followed account's equity (one panel each: a scalper's 500 USDT is not flat under a market
 * maker's ten million), insurance fund, open interest, and a cascade's per-minute profile.
 */
import { compileInstrument, formatScaled } from '../../core/index.js';
import type { Comparison } from '../measure/compare.js';
import type { SimResult } from '../run/batch.js';

const r2 = (x: number): number => Math.round(x * 100) / 100;
const r1 = (x: number): number => Math.round(x * 10) / 10;
const nullable = (x: number): number | null => (Number.isFinite(x) ? x : null);

/** Agents whose equity is charted: named accounts, followed agents, else the first of each kind. */
export function followedAgents(result: SimResult): Set<string> {
  const follow = new Set<string>([...result.spec.accounts.map((a) => a.name), ...result.spec.report.follow]);
  if (follow.size === 0) {
    const seen = new Set<string>();
    for (const agent of result.world.agents) {
      if (seen.has(agent.kind)) continue;
      seen.add(agent.kind);
      follow.add(agent.name);
    }
  }
  return follow;
}

export function reportData(result: SimResult, comparison: Comparison | undefined): Record<string, unknown> {
  const { recorder, world } = result;
  const instrument = compileInstrument(result.instrument);
  const tick = Number(instrument.tick.digits) / 10 ** instrument.tick.scale;
  const lot = Number(instrument.lot.digits) / 10 ** instrument.lot.scale;
  const sec = (ms: number): number => ms / 1000;
  const minutes = recorder.minutes;
  // Price chart: minute closes (index, mark, last, real perpetual) with liquidation markers at their minute.
  const mx: number[] = [];
  for (let m = 0; m < minutes.length; m++) mx.push(sec(minutes.timeOf(m)));
  const last = minutes.lastCloses();
  const longLiq: (number | null)[] = mx.map(() => null);
  const shortLiq: (number | null)[] = mx.map(() => null);
  for (const l of recorder.liquidations) {
    const m = minutes.minuteOf(l.atMs);
    if (m < 0 || m >= mx.length) continue;
    const series = l.side === 'SELL' ? longLiq : shortLiq;
    const price = r2(l.markTicks * tick);
    // One marker per minute and side, at the lowest (longs) or highest (shorts) liquidation mark.
    const seen = series[m];
    if (seen === null || seen === undefined || (l.side === 'SELL' ? price < seen : price > seen)) series[m] = price;
  }
  // Liquidated notional per bucket (≈ 300 buckets, at least a minute).
  const span = Math.max(1, result.endMs - result.startMs);
  const bucketMs = Math.max(60_000, Math.ceil(span / 300 / 60_000) * 60_000);
  const buckets = Math.ceil(span / bucketMs) + 1;
  const bx: number[] = [];
  const longVol: number[] = new Array<number>(buckets).fill(0);
  const shortVol: number[] = new Array<number>(buckets).fill(0);
  for (let b = 0; b < buckets; b++) bx.push(sec(result.startMs + b * bucketMs));
  for (const l of recorder.liquidations) {
    const b = Math.min(buckets - 1, Math.floor((l.atMs - result.startMs) / bucketMs));
    const usd = l.qtyLots * lot * l.markTicks * tick;
    if (l.side === 'SELL') longVol[b]! += usd;
    else shortVol[b]! += usd;
  }
  const follow = followedAgents(result);
  const equity = world.agents.flatMap((agent, i) => follow.has(agent.name)
    ? [{ name: agent.name, kind: agent.kind, leverage: agent.leverage, values: [...recorder.equityOf(i)].map(r2) }] : []);
  const bps = (a: number, b: number): number | null => (a > 0 && b > 0 ? r1((a / b - 1) * 10_000) : null);
  const cascade = comparison?.cascade ?? null;
  return {
    title: result.spec.name,
    symbol: result.spec.symbol,
    price: {
      x: mx, index: minutes.index.map((t) => r2(t * tick)), mark: minutes.mark.map((t) => r2(t * tick)),
      last: last.map((t) => nullable(r2(t * tick))), real: comparison?.series.realPerpClose ?? null, longLiq, shortLiq,
    },
    divergence: {
      x: mx,
      markVsIndex: minutes.mark.map((m, i) => bps(m, minutes.index[i]!)),
      lastVsIndex: last.map((t, i) => bps(t, minutes.index[i]!)),
    },
    funding: {
      x: mx, estimatedBps: minutes.estimatedFunding.map((f) => r2(f * 10_000)),
      settlements: (comparison?.funding ?? recorder.funding.map((f) => ({ timeMs: f.fundingTimeMs, simulated: Number(f.rateE8) / 1e8,
        derivedFromCandles: null, real: null }))).map((f) => ({
        t: sec(f.timeMs), simulated: r2(f.simulated * 10_000),
        derived: f.derivedFromCandles === null ? null : r2(f.derivedFromCandles * 10_000),
        real: f.real === null ? null : r2(f.real * 10_000),
      })),
    },
    basis: comparison === undefined ? null : {
      bucketSec: comparison.series.basisBucketMs / 1000,
      x: comparison.series.simBasisBps.map((_, b) => sec(comparison.series.minuteStartMs) + b * comparison.series.basisBucketMs / 1000),
      simulated: comparison.series.simBasisBps, real: comparison.series.realBasisBps,
    },
    liqVolume: { bucketSec: bucketMs / 1000, x: bx, longs: longVol.map(r2), shorts: shortVol.map(r2) },
    equity: { x: recorder.equityTimes.map(sec), series: equity },
    insurance: { x: recorder.samples.map((s) => sec(s.atMs)), y: recorder.samples.map((s) => Number(formatScaled(s.insuranceE8, 8, 2))) },
    openInterest: { x: recorder.samples.map((s) => sec(s.atMs)), y: recorder.samples.map((s) => Math.round(s.openInterestLots * lot * 1000) / 1000) },
    cascade: cascade === null ? null : {
      x: cascade.simulatedProfile.map((_, m) => sec(cascade.minuteStartMs) + m * 60),
      simulated: cascade.simulatedProfile.map((v) => r2(v * 100)),
      simulatedAdl: cascade.simulatedAdlProfile.map((v) => r2(v * 100)),
      published: cascade.publishedProfile?.map((v) => r2(v * 100)) ?? null,
    },
  };
}
