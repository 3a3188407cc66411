/**
 * @module surveillance/heatmap
 * The exact liquidation heatmap: for every price level of a symbol, the notional that the engine
 * would liquidate if the mark reached it, by side and leverage band. Each open position contributes
 * |size| × level × k at its own trigger tick (the highest mark at which a long is liquidated, the
 * lowest for a short), computed by the risk book with the engine's liquidationPrice and checked
 * against the engine's integer rule, cross accounts included with their other positions at their
 * marks. Contributions are added and removed as positions change, so the map is always the sum
 * over the current positions; `levels()` groups it into served price steps.
 *
 * Positions that the engine would liquidate at the current mark already (their rule holds at every
 * price) and fully collateralised longs (none) have no level and are counted apart.
 */
import type { Instrument } from '../core/index.js';
import { formatUnits } from '../core/index.js';
import { money, price } from '../api/format.js';
import { BUCKET_TICKS } from './risk/level-index.js';

export interface HeatContribution {
  readonly side: 1 | -1;
  readonly levelTicks: number;
  readonly band: number;
  readonly notionalE8: bigint;
}

class SideMap {
  /** Exact level → notional per band. */
  readonly levels = new Map<number, bigint[]>();
  /** Bucket (BUCKET_TICKS wide) → notional of all bands, for band sums near the mark. */
  readonly buckets = new Map<number, bigint>();
  totalE8 = 0n;
  positions = 0;

  constructor(private readonly bandCount: number) {}

  add(levelTicks: number, band: number, notionalE8: bigint, sign: 1 | -1): void {
    let sums = this.levels.get(levelTicks);
    if (sums === undefined) {
      sums = new Array<bigint>(this.bandCount).fill(0n);
      this.levels.set(levelTicks, sums);
    }
    const delta = sign === 1 ? notionalE8 : -notionalE8;
    sums[band] = sums[band]! + delta;
    if (sign === -1 && sums.every((value) => value === 0n)) this.levels.delete(levelTicks);
    const key = Math.floor(levelTicks / BUCKET_TICKS);
    const bucket = (this.buckets.get(key) ?? 0n) + delta;
    if (bucket === 0n) this.buckets.delete(key);
    else this.buckets.set(key, bucket);
    this.totalE8 += delta;
    this.positions += sign;
  }

  /** Σ notional at levels in [lowTicks, highTicks]: whole buckets from the bucket map, the edges level by level. */
  sumRange(lowTicks: number, highTicks: number): bigint {
    if (highTicks < lowTicks) return 0n;
    const firstFull = Math.ceil(lowTicks / BUCKET_TICKS);
    const lastFull = Math.floor((highTicks + 1) / BUCKET_TICKS) - 1;
    let sum = 0n;
    if (firstFull > lastFull) return this.sumLevels(lowTicks, highTicks);
    if (lastFull - firstFull > this.buckets.size) {
      for (const [key, value] of this.buckets) if (key >= firstFull && key <= lastFull) sum += value;
    } else {
      for (let key = firstFull; key <= lastFull; key++) sum += this.buckets.get(key) ?? 0n;
    }
    return sum + this.sumLevels(lowTicks, firstFull * BUCKET_TICKS - 1) + this.sumLevels((lastFull + 1) * BUCKET_TICKS, highTicks);
  }

  private sumLevels(lowTicks: number, highTicks: number): bigint {
    let sum = 0n;
    for (let ticks = lowTicks; ticks <= highTicks; ticks++) {
      const sums = this.levels.get(ticks);
      if (sums !== undefined) for (const value of sums) sum += value;
    }
    return sum;
  }
}

/** One served price step: notional per leverage band for longs and shorts (decimal strings). */
export interface HeatLevel {
  readonly price: string;
  readonly priceTicks: number;
  readonly long: readonly string[];
  readonly short: readonly string[];
  readonly longTotal: string;
  readonly shortTotal: string;
}

export interface HeatmapSnapshot {
  readonly symbol: string;
  readonly seq: number;
  readonly atMs: number;
  readonly markPrice: string;
  readonly step: string;
  readonly bands: readonly string[];
  readonly longTotal: string;
  readonly shortTotal: string;
  readonly positions: number;
  /** Positions the engine would liquidate at any price (being liquidated) and longs that never liquidate. */
  readonly unplaced: number;
  readonly levels: readonly HeatLevel[];
}

export interface LevelQuery {
  /** Step of the served levels in ticks (levels are floor(level / step) × step). */
  readonly stepTicks: number;
  readonly fromTicks: number;
  readonly toTicks: number;
}

export class SymbolHeatmap {
  readonly longs: SideMap;
  readonly shorts: SideMap;
  unplaced = 0;

  constructor(readonly instrument: Instrument, readonly bandEdges: readonly number[]) {
    this.longs = new SideMap(bandEdges.length + 1);
    this.shorts = new SideMap(bandEdges.length + 1);
  }

  add(contribution: HeatContribution, sign: 1 | -1): void {
    (contribution.side === 1 ? this.longs : this.shorts).add(contribution.levelTicks, contribution.band, contribution.notionalE8, sign);
  }

  /** Leverage band labels: "1-5x", "6-10x", …, ">100x". */
  bandLabels(): string[] {
    const labels: string[] = [];
    let low = 1;
    for (const edge of this.bandEdges) {
      labels.push(`${low}-${edge}x`);
      low = edge + 1;
    }
    labels.push(`>${low - 1}x`);
    return labels;
  }

  levels(query: LevelQuery): { priceTicks: number; long: bigint[]; short: bigint[] }[] {
    const bandCount = this.bandEdges.length + 1;
    const grouped = new Map<number, { priceTicks: number; long: bigint[]; short: bigint[] }>();
    const collect = (side: SideMap, pick: 'long' | 'short'): void => {
      for (const [ticks, sums] of side.levels) {
        if (ticks < query.fromTicks || ticks > query.toTicks) continue;
        const key = Math.floor(ticks / query.stepTicks) * query.stepTicks;
        let level = grouped.get(key);
        if (level === undefined) {
          level = { priceTicks: key, long: new Array<bigint>(bandCount).fill(0n), short: new Array<bigint>(bandCount).fill(0n) };
          grouped.set(key, level);
        }
        const target = level[pick];
        for (let band = 0; band < bandCount; band++) target[band] = target[band]! + sums[band]!;
      }
    };
    collect(this.longs, 'long');
    collect(this.shorts, 'short');
    return [...grouped.values()].sort((a, b) => a.priceTicks - b.priceTicks);
  }

  snapshot(query: LevelQuery, markTicks: number, seq: number, atMs: number): HeatmapSnapshot {
    const instrument = this.instrument;
    const sum = (values: readonly bigint[]): bigint => values.reduce((total, value) => total + value, 0n);
    return {
      symbol: instrument.symbol, seq, atMs, markPrice: price(instrument, markTicks), step: formatUnits(query.stepTicks, instrument.tick),
      bands: this.bandLabels(), longTotal: money(this.longs.totalE8), shortTotal: money(this.shorts.totalE8),
      positions: this.longs.positions + this.shorts.positions, unplaced: this.unplaced,
      levels: this.levels(query).map((level) => ({
        price: price(instrument, level.priceTicks), priceTicks: level.priceTicks, long: level.long.map(money), short: level.short.map(money),
        longTotal: money(sum(level.long)), shortTotal: money(sum(level.short)),
      })),
    };
  }
}

/** The band of a leverage: index of the first edge ≥ leverage (edges ascending). */
export function leverageBand(edges: readonly number[], leverage: number): number {
  let band = 0;
  while (band < edges.length && leverage > edges[band]!) band++;
  return band;
}
