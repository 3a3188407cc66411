/**
 * @module sim/agents/builder
 * The open interest of the days before a crash: a leveraged trader who opens one position at a
 * time drawn over the warm-up (so entries follow the preceding days' prices), with a leverage from
 * a calibrated mix, mostly long, and holds it for days — until a take-profit, the end of the
 * holding time, or liquidation. Its liquidation price therefore sits where the preceding days'
 * prices put it, and the crash liquidates it when the price breaks through. After a liquidation it
 * may come back, as the story's trader did: it tops its account back up to its starting capital
 * and buys the dip again after a short pause, at the same leverage.
 */
import { z } from 'zod';
import type { MarginTypeName, OrderSideName, UnsequencedCommand } from '../../core/index.js';
import type { Rng } from '../rng.js';
import { BaseAgent, drawRange } from './base.js';
import { range } from './params.js';
import type { MarketView } from './types.js';

export const builderParams = z.object({
  leverage: z.object({
    values: z.array(z.number().int().min(1).max(125)).min(1),
    weights: z.array(z.number().min(0)).min(1),
  }).strict().refine((l) => l.values.length === l.weights.length, { message: 'values and weights must have the same length' })
    .default({ values: [2, 3, 5, 10, 20, 50], weights: [10, 15, 25, 25, 15, 10] }),
  /** Probability a member is long. */
  longShare: z.number().min(0).max(1).default(0.7),
  isolatedProbability: z.number().min(0).max(1).default(0.6),
  /** Share of capital put up as initial margin. */
  marginFraction: range(0.01, 1).default([0.3, 0.9]),
  /** The entry happens this many seconds after the agent starts, drawn uniformly. */
  entryAfterSec: range(0, 90 * 86_400).default([0, 172_800]),
  /** Mean holding time (exponential), seconds. */
  meanHoldSec: range(60, 365 * 86_400).default([86_400, 432_000]),
  takeProfitProbability: z.number().min(0).max(1).default(0.2),
  takeProfitPct: range(0.1, 200).default([3, 15]),
  /** Probability of coming back after each liquidation, topped up to the starting capital. */
  reenterProbability: z.number().min(0).max(1).default(0.3),
  reenterAfterSec: range(1, 86_400).default([60, 1_800]),
  maxReentries: z.number().int().min(0).max(20).default(2),
}).strict();
export type BuilderParams = z.infer<typeof builderParams>;

export class Builder extends BaseAgent {
  private readonly side: OrderSideName;
  private readonly marginFraction: number;
  private readonly holdMs: number;
  private readonly takeProfitPct: number | undefined;
  private closeAtMs = 0;
  private reentries = 0;
  private reenterAtMs = -1;
  private done = false;

  constructor(name: string, group: string, capitalUsdt: number, private readonly p: BuilderParams, rng: Rng) {
    const leverage = p.leverage.values[rng.weighted(p.leverage.weights)]!;
    const marginType: MarginTypeName = rng.chance(p.isolatedProbability) ? 'ISOLATED' : 'CROSSED';
    super(name, 'builder', group, capitalUsdt, leverage, marginType, rng);
    this.side = rng.chance(p.longShare) ? 'BUY' : 'SELL';
    this.marginFraction = drawRange(rng, p.marginFraction);
    this.holdMs = drawRange(rng, p.meanHoldSec) * 1000;
    this.takeProfitPct = rng.chance(p.takeProfitProbability) ? drawRange(rng, p.takeProfitPct) / 100 : undefined;
    this.nextWakeMs = Math.round(drawRange(rng, p.entryAfterSec) * 1000);
  }

  protected override onLiquidated(atMs: number): void {
    if (this.reentries < this.p.maxReentries && this.rng.chance(this.p.reenterProbability)) {
      this.reentries++;
      this.reenterAtMs = atMs + Math.round(drawRange(this.rng, this.p.reenterAfterSec) * 1000);
    } else {
      this.done = true;
    }
  }

  act(view: MarketView): UnsequencedCommand[] {
    if (this.done) {
      this.nextWakeMs = Number.MAX_SAFE_INTEGER;
      return [];
    }
    if (this.reenterAtMs > view.nowMs) {
      this.nextWakeMs = this.reenterAtMs;
      return [];
    }
    const account = this.account(view);
    const size = this.position(view, account)?.sizeLots ?? 0;
    if (size !== 0) {
      if (view.nowMs < this.closeAtMs) {
        this.nextWakeMs = this.closeAtMs;
        return [];
      }
      this.done = true;
      this.nextWakeMs = Number.MAX_SAFE_INTEGER;
      return [this.cancelAll(view), ...this.flatten(view, size)];
    }
    const out: UnsequencedCommand[] = [this.cancelAll(view)];
    let equity = this.equityUsdt(view, account);
    if (this.reenterAtMs >= 0) {
      // Back after a liquidation: top the account up to what it started with.
      this.reenterAtMs = -1;
      const topUp = Math.floor((this.capitalUsdt - equity) * 100) / 100;
      if (topUp >= 1) {
        out.push({ type: 'Deposit', accountId: this.accountId, amountE8: BigInt(Math.round(topUp * 100)) * 1_000_000n });
        equity += topUp;
      }
    }
    const lots = this.lotsForNotional(view, equity * this.marginFraction * this.leverage);
    if (!this.meetsMinNotional(view, lots)) {
      this.done = true;
      this.nextWakeMs = Number.MAX_SAFE_INTEGER;
      return out;
    }
    out.push(this.market(view, this.side, lots));
    if (this.takeProfitPct !== undefined) {
      const sign = this.side === 'BUY' ? 1 : -1;
      out.push(this.closeTrigger(view, this.side === 'BUY' ? 'SELL' : 'BUY', 'TAKE_PROFIT_MARKET',
        Math.round(view.indexTicks * (1 + sign * this.takeProfitPct))));
    }
    this.closeAtMs = view.nowMs + Math.max(60_000, Math.round(this.rng.exponential(this.holdMs)));
    this.nextWakeMs = this.closeAtMs;
    return out;
  }
}
