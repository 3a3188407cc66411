/**
 * @module sim/agents/mean-reversion
 * Mean-reversion trader: z-score of the index against its `windowMin`-minute mean; fades moves
 * beyond `entryZ` standard deviations and flattens when the z-score comes back inside `exitZ`.
 * Catches falling knives, which is how a crash liquidates dip buyers.
 */
import { z } from 'zod';
import type { MarginTypeName, UnsequencedCommand } from '../../core/index.js';
import type { Rng } from '../rng.js';
import { BaseAgent, drawRange } from './base.js';
import { range } from './params.js';
import type { MarketView } from './types.js';

export const meanReversionParams = z.object({
  leverage: range(1, 125).default([5, 20]),
  windowMin: range(2, 1_440).default([20, 120]),
  entryZ: range(0.1, 10).default([1.5, 2.5]),
  exitZ: range(0, 10).default([0.2, 0.5]),
  marginFraction: range(0.01, 1).default([0.2, 0.6]),
  meanIntervalSec: range(1, 86_400).default([30, 180]),
}).strict();
export type MeanReversionParams = z.infer<typeof meanReversionParams>;

export class MeanReversionTrader extends BaseAgent {
  private readonly windowMin: number;
  private readonly entryZ: number;
  private readonly exitZ: number;
  private readonly marginFraction: number;
  private readonly intervalMs: number;

  constructor(name: string, group: string, capitalUsdt: number, p: MeanReversionParams, rng: Rng,
    marginType: MarginTypeName = 'CROSSED') {
    super(name, 'meanReversion', group, capitalUsdt, Math.round(drawRange(rng, p.leverage)), marginType, rng);
    this.windowMin = Math.round(drawRange(rng, p.windowMin));
    this.entryZ = drawRange(rng, p.entryZ);
    this.exitZ = Math.min(this.entryZ, drawRange(rng, p.exitZ));
    this.marginFraction = drawRange(rng, p.marginFraction);
    this.intervalMs = drawRange(rng, p.meanIntervalSec) * 1000;
    this.nextWakeMs = Math.round(rng.exponential(this.intervalMs));
  }

  act(view: MarketView): UnsequencedCommand[] {
    this.wakeIn(view, this.intervalMs);
    if (view.history.minuteCount < this.windowMin) return [];
    const { mean, sd } = view.history.stats(this.windowMin);
    if (!(sd > 0)) return [];
    const z = (view.history.price - mean) / sd;
    const account = this.account(view);
    const size = this.position(view, account)?.sizeLots ?? 0;
    const full = this.lotsForNotional(view, this.equityUsdt(view, account) * this.marginFraction * this.leverage);
    let target = size;
    if (z > this.entryZ && size >= 0) target = -full;
    else if (z < -this.entryZ && size <= 0) target = full;
    else if (Math.abs(z) < this.exitZ) target = 0;
    if (target !== 0 && size !== 0 && Math.sign(target) !== Math.sign(size)) return this.flatten(view, size);
    return this.moveTo(view, size, target);
  }
}
