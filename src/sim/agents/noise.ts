/**
 * @module sim/agents/noise
 * Noise trader: at random times opens a position in a random direction (market order, or a
 * passive limit a few bps from the index that it cancels at its next decision), and closes it
 * after a random holding time. Supplies two-sided, uninformed order flow.
 */
import { z } from 'zod';
import type { MarginTypeName, UnsequencedCommand } from '../../core/index.js';
import type { Rng } from '../rng.js';
import { BaseAgent, drawRange } from './base.js';
import { range } from './params.js';
import type { MarketView } from './types.js';

export const noiseParams = z.object({
  leverage: range(1, 125).default([2, 10]),
  /** Mean seconds between decisions. */
  meanIntervalSec: range(1, 86_400).default([60, 600]),
  /** Mean holding time of a position, seconds. */
  meanHoldSec: range(1, 86_400).default([300, 3_600]),
  /** Fraction of capital used as margin per position. */
  marginFraction: range(0.01, 1).default([0.1, 0.5]),
  /** Probability a decision is a passive limit order instead of a market order. */
  limitProbability: z.number().min(0).max(1).default(0.3),
  limitOffsetBps: range(0, 500).default([2, 20]),
}).strict();
export type NoiseParams = z.infer<typeof noiseParams>;

export class NoiseTrader extends BaseAgent {
  private readonly intervalMs: number;
  private readonly holdMs: number;
  private readonly marginFraction: number;
  private closeAtMs = 0;

  constructor(name: string, group: string, capitalUsdt: number, private readonly p: NoiseParams, rng: Rng,
    marginType: MarginTypeName = 'CROSSED') {
    super(name, 'noise', group, capitalUsdt, Math.round(drawRange(rng, p.leverage)), marginType, rng);
    this.intervalMs = drawRange(rng, p.meanIntervalSec) * 1000;
    this.holdMs = drawRange(rng, p.meanHoldSec) * 1000;
    this.marginFraction = drawRange(rng, p.marginFraction);
    this.nextWakeMs = Math.round(rng.exponential(this.intervalMs));
  }

  act(view: MarketView): UnsequencedCommand[] {
    this.wakeIn(view, this.intervalMs);
    const out: UnsequencedCommand[] = [this.cancelAll(view, 'REGULAR')];
    const account = this.account(view);
    const size = this.position(view, account)?.sizeLots ?? 0;
    if (size !== 0) {
      if (view.nowMs >= this.closeAtMs) out.push(...this.flatten(view, size));
      return out;
    }
    const equity = this.equityUsdt(view, account);
    const lots = this.lotsForNotional(view, equity * this.marginFraction * this.leverage);
    if (!this.meetsMinNotional(view, lots)) return out;
    const side = this.rng.chance(0.5) ? 'BUY' : 'SELL';
    this.closeAtMs = view.nowMs + Math.round(this.rng.exponential(this.holdMs));
    if (this.rng.chance(this.p.limitProbability)) {
      const offset = drawRange(this.rng, this.p.limitOffsetBps) / 10_000;
      const price = Math.round(view.indexTicks * (side === 'BUY' ? 1 - offset : 1 + offset));
      out.push(this.limit(view, side, lots, price));
    } else {
      out.push(this.market(view, side, lots));
    }
    return out;
  }
}
