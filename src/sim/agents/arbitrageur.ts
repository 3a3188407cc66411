/**
 * @module sim/agents/arbitrageur
 * Basis arbitrageur: when the perpetual's best bid is above index × (1 + threshold) it sells into
 * it, when the best ask is below index × (1 − threshold) it buys, up to an inventory limit; when
 * the basis is back inside half the threshold it unwinds at the touch. This keeps the book — and
 * so the premium index, funding and the mark's basis term — anchored to the index. (The hedge on
 * the spot leg is implied: the simulator has no spot market.)
 */
import { z } from 'zod';
import type { MarginTypeName, UnsequencedCommand } from '../../core/index.js';
import type { Rng } from '../rng.js';
import { BaseAgent } from './base.js';
import { stressBps } from './stress.js';
import type { MarketView } from './types.js';

export const arbitrageurParams = z.object({
  leverage: z.number().int().min(1).max(125).default(5),
  /** Basis (fraction of index) that triggers a trade: 0.0015 = 15 bps. */
  threshold: z.number().positive().max(0.5).default(0.0015),
  /** Largest order, base units. */
  clipQty: z.number().positive().default(2),
  maxInventory: z.number().positive().default(30),
  /** Act every n-th step (1 = every step). With clipQty this is the rate at which it can take the other leg. */
  everySteps: z.number().int().min(1).default(1),
  /** Extra threshold per bp of one-minute volatility above volFloorBps (a fast market needs a wider margin for the spot leg). */
  volThresholdFactor: z.number().min(0).max(50).default(0),
  volFloorBps: z.number().min(0).max(1_000).default(0),
  /** Extra threshold (bps, × volThresholdFactor) per million USDT a minute of recent liquidations. */
  liqStressBpsPerMillion: z.number().min(0).max(1_000).default(0),
  /**
   * The basis it considers fair (bps; a bull market's perpetual trades at a premium that funding pays
   * for): it trades deviations from index × (1 + normal) and unwinds when the basis is back near it.
   */
  normalBasisBps: z.number().min(-200).max(200).default(0),
}).strict();
export type ArbitrageurParams = z.infer<typeof arbitrageurParams>;

export class Arbitrageur extends BaseAgent {
  override readonly everyStep = true;
  private steps = 0;

  constructor(name: string, group: string, capitalUsdt: number, private readonly p: ArbitrageurParams,
    private readonly lotsPerBase: number, rng: Rng, marginType: MarginTypeName = 'CROSSED') {
    super(name, 'arbitrageur', group, capitalUsdt, p.leverage, marginType, rng);
  }

  act(view: MarketView): UnsequencedCommand[] {
    if (++this.steps % this.p.everySteps !== 0) return [];
    const index = view.indexTicks * (1 + this.p.normalBasisBps / 10_000);
    const clip = Math.max(view.instrument.minQtyLots, Math.round(this.p.clipQty * this.lotsPerBase));
    const max = this.p.maxInventory * this.lotsPerBase;
    const size = this.positionLots(view);
    const threshold = this.p.threshold + (this.p.volThresholdFactor * stressBps(view, this.p)) / 10_000;
    const upper = index * (1 + threshold);
    const lower = index * (1 - threshold);
    if (view.bestBid !== -1 && view.bestBid > upper && size > -max) {
      const lots = Math.min(clip, Math.round(size + max));
      if (this.meetsMinNotional(view, lots)) return [this.limit(view, 'SELL', lots, Math.ceil(upper), 'IOC')];
    }
    if (view.bestAsk !== -1 && view.bestAsk < lower && size < max) {
      const lots = Math.min(clip, Math.round(max - size));
      if (this.meetsMinNotional(view, lots)) return [this.limit(view, 'BUY', lots, Math.floor(lower), 'IOC')];
    }
    // Unwind when the basis has closed: sell inventory at or above index, buy back at or below.
    const calm = index * threshold * 0.5;
    if (size > 0 && view.bestBid !== -1 && view.bestBid >= index - calm) {
      return [{ ...this.limit(view, 'SELL', Math.min(size, clip), Math.floor(index - calm), 'IOC'), reduceOnly: true }];
    }
    if (size < 0 && view.bestAsk !== -1 && view.bestAsk <= index + calm) {
      return [{ ...this.limit(view, 'BUY', Math.min(-size, clip), Math.ceil(index + calm), 'IOC'), reduceOnly: true }];
    }
    return [];
  }
}
