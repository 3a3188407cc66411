/**
 * @module sim/agents/momentum
 * Momentum / trend follower: compares the index with its value `lookbackMin` minutes ago; above
 * +threshold it goes long, below −threshold short, and it flattens when the move fades below the
 * exit threshold. Adds to moves, which is what turns a drop into a cascade.
 */
import { z } from 'zod';
import type { MarginTypeName, UnsequencedCommand } from '../../core/index.js';
import type { Rng } from '../rng.js';
import { BaseAgent, drawRange } from './base.js';
import { range } from './params.js';
import type { MarketView } from './types.js';

export const momentumParams = z.object({
  leverage: range(1, 125).default([5, 20]),
  lookbackMin: range(1, 1_440).default([5, 30]),
  /** Entry when |return over the look-back| exceeds this (fraction, 0.004 = 0.4%). */
  entryThreshold: range(0, 1).default([0.003, 0.01]),
  exitThreshold: range(0, 1).default([0.0005, 0.002]),
  marginFraction: range(0.01, 1).default([0.2, 0.6]),
  meanIntervalSec: range(1, 86_400).default([30, 120]),
}).strict();
export type MomentumParams = z.infer<typeof momentumParams>;

export class MomentumTrader extends BaseAgent {
  private readonly lookbackMin: number;
  private readonly entry: number;
  private readonly exit: number;
  private readonly marginFraction: number;
  private readonly intervalMs: number;

  constructor(name: string, group: string, capitalUsdt: number, p: MomentumParams, rng: Rng,
    marginType: MarginTypeName = 'CROSSED') {
    super(name, 'momentum', group, capitalUsdt, Math.round(drawRange(rng, p.leverage)), marginType, rng);
    this.lookbackMin = Math.round(drawRange(rng, p.lookbackMin));
    this.entry = drawRange(rng, p.entryThreshold);
    this.exit = Math.min(this.entry, drawRange(rng, p.exitThreshold));
    this.marginFraction = drawRange(rng, p.marginFraction);
    this.intervalMs = drawRange(rng, p.meanIntervalSec) * 1000;
    this.nextWakeMs = Math.round(rng.exponential(this.intervalMs));
  }

  act(view: MarketView): UnsequencedCommand[] {
    this.wakeIn(view, this.intervalMs);
    if (view.history.minuteCount <= this.lookbackMin) return [];
    const signal = Math.log(view.history.price / view.history.minutesAgo(this.lookbackMin));
    const account = this.account(view);
    const size = this.position(view, account)?.sizeLots ?? 0;
    const equity = this.equityUsdt(view, account);
    const full = this.lotsForNotional(view, equity * this.marginFraction * this.leverage);
    let target = size;
    if (signal > this.entry && size <= 0) target = full;
    else if (signal < -this.entry && size >= 0) target = -full;
    else if (Math.abs(signal) < this.exit) target = 0;
    if (target !== 0 && Math.sign(target) !== Math.sign(size) && size !== 0) {
      return this.flatten(view, size); // close first; re-enter at the next decision
    }
    return this.moveTo(view, size, target);
  }
}
