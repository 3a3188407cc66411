/**
 * @module sim/data/synthetic
 * Generated candles for markets without a data file (the calm-market scenario, the live `sim`
 * price source): geometric Brownian motion simulated in sub-steps, each candle's high and low the
 * extremes of its sub-steps, plus optional rare jumps. Seeded; prices land on the tick grid.
 */
import type { ScaledDecimal } from '../../core/index.js';
import type { Rng } from '../rng.js';
import type { TickCandle } from './candle.js';
import { priceToTicks } from './ticks.js';

const YEAR_MS = 365 * 24 * 3_600_000;
const SUB_STEPS = 16;

export interface SyntheticOptions {
  readonly startMs: number;
  readonly intervalMs: number;
  readonly startPrice: number;
  /** Annualised volatility, e.g. 0.35 for a calm BTC. */
  readonly annualVol: number;
  readonly annualDrift?: number;
  /** Probability per candle of a jump, and the jump's standard deviation (fraction of price). */
  readonly jumpProbability?: number;
  readonly jumpSize?: number;
  /** Keeps an endless path from wandering off: pull toward startPrice with this half-life. */
  readonly meanReversionHalfLifeMs?: number;
}

/** An endless candle stream (live mode) — also the source of finite synthetic scenarios. */
export class SyntheticCandles implements Iterator<TickCandle> {
  private price: number;
  private openTimeMs: number;

  constructor(private readonly options: SyntheticOptions, private readonly tick: ScaledDecimal, private readonly rng: Rng) {
    this.price = options.startPrice;
    this.openTimeMs = options.startMs;
  }

  next(): IteratorResult<TickCandle> {
    const o = this.options;
    const dt = o.intervalMs / SUB_STEPS / YEAR_MS;
    const sigma = o.annualVol * Math.sqrt(dt);
    const drift = ((o.annualDrift ?? 0) - (o.annualVol * o.annualVol) / 2) * dt;
    const pull = o.meanReversionHalfLifeMs === undefined ? 0
      : 1 - Math.pow(0.5, o.intervalMs / SUB_STEPS / o.meanReversionHalfLifeMs);
    const open = this.price;
    let high = open;
    let low = open;
    let p = open;
    for (let s = 0; s < SUB_STEPS; s++) {
      let lr = drift + sigma * this.rng.normal();
      if (pull > 0) lr += pull * Math.log(o.startPrice / p);
      if (o.jumpProbability !== undefined && this.rng.next() < o.jumpProbability / SUB_STEPS) {
        lr += (o.jumpSize ?? 0.01) * this.rng.normal();
      }
      p *= Math.exp(lr);
      if (p > high) high = p;
      if (p < low) low = p;
    }
    this.price = p;
    const openTicks = priceToTicks(open, this.tick);
    const closeTicks = priceToTicks(p, this.tick);
    const candle: TickCandle = {
      openTimeMs: this.openTimeMs, durationMs: o.intervalMs, openTicks, closeTicks,
      highTicks: Math.max(priceToTicks(high, this.tick), openTicks, closeTicks),
      lowTicks: Math.max(1, Math.min(priceToTicks(low, this.tick), openTicks, closeTicks)),
    };
    this.openTimeMs += o.intervalMs;
    return { value: candle, done: false };
  }

  [Symbol.iterator](): Iterator<TickCandle> {
    return this;
  }
}

export function syntheticCandles(options: SyntheticOptions, count: number, tick: ScaledDecimal, rng: Rng): TickCandle[] {
  const stream = new SyntheticCandles(options, tick, rng);
  const out: TickCandle[] = [];
  for (let i = 0; i < count; i++) out.push(stream.next().value as TickCandle);
  return out;
}
