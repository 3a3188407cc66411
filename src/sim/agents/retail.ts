/**
 * @module sim/agents/retail
 * Leveraged retail: each member of the population draws its leverage from a weighted
 * distribution (many at 20–125x), isolated or cross, a stop-loss or none, maybe a take-profit, and
 * a habit: chase the last few minutes' move or pick a side at random. It enters with a large share
 * of its capital, holds until its stop, take-profit, liquidation or boredom, and may come back
 * with what is left.
 */
import { z } from 'zod';
import type { MarginTypeName, OrderSideName, UnsequencedCommand } from '../../core/index.js';
import type { Rng } from '../rng.js';
import { BaseAgent, drawRange } from './base.js';
import { range } from './params.js';
import type { MarketView } from './types.js';

export const retailParams = z.object({
  leverage: z.object({
    values: z.array(z.number().int().min(1).max(125)).min(1),
    weights: z.array(z.number().min(0)).min(1),
  }).strict().refine((l) => l.values.length === l.weights.length, { message: 'values and weights must have the same length' })
    .default({ values: [5, 10, 20, 25, 50, 75, 100, 125], weights: [8, 14, 20, 14, 16, 8, 14, 6] }),
  isolatedProbability: z.number().min(0).max(1).default(0.5),
  stopProbability: z.number().min(0).max(1).default(0.4),
  /** Stop distance from entry, percent of price. */
  stopDistancePct: range(0.01, 50).default([0.3, 3]),
  takeProfitProbability: z.number().min(0).max(1).default(0.3),
  takeProfitPct: range(0.01, 100).default([0.5, 5]),
  /** Probability a member who does not chase goes long (a crowd's bias; 0.5 = none). */
  longShare: z.number().min(0).max(1).default(0.5),
  /** Probability a member chases the recent move (else picks a side by longShare). */
  trendChaserProbability: z.number().min(0).max(1).default(0.6),
  trendLookbackMin: range(1, 240).default([3, 30]),
  marginFraction: range(0.01, 1).default([0.3, 1]),
  meanEntryIntervalSec: range(1, 86_400).default([600, 7_200]),
  meanHoldSec: range(1, 604_800).default([1_800, 14_400]),
  /** Probability of trading again after being liquidated (with whatever is left). */
  reenterAfterLiquidation: z.number().min(0).max(1).default(0.3),
}).strict();
export type RetailParams = z.infer<typeof retailParams>;

export class RetailTrader extends BaseAgent {
  private readonly stopPct: number | undefined;
  private readonly takeProfitPct: number | undefined;
  private readonly chaser: boolean;
  private readonly lookbackMin: number;
  private readonly marginFraction: number;
  private readonly entryMs: number;
  private readonly holdMs: number;
  private closeAtMs = 0;
  private retired = false;

  constructor(name: string, group: string, capitalUsdt: number, private readonly p: RetailParams, rng: Rng) {
    const leverage = p.leverage.values[rng.weighted(p.leverage.weights)]!;
    const marginType: MarginTypeName = rng.chance(p.isolatedProbability) ? 'ISOLATED' : 'CROSSED';
    super(name, 'retail', group, capitalUsdt, leverage, marginType, rng);
    this.stopPct = rng.chance(p.stopProbability) ? drawRange(rng, p.stopDistancePct) / 100 : undefined;
    this.takeProfitPct = rng.chance(p.takeProfitProbability) ? drawRange(rng, p.takeProfitPct) / 100 : undefined;
    this.chaser = rng.chance(p.trendChaserProbability);
    this.lookbackMin = Math.round(drawRange(rng, p.trendLookbackMin));
    this.marginFraction = drawRange(rng, p.marginFraction);
    this.entryMs = drawRange(rng, p.meanEntryIntervalSec) * 1000;
    this.holdMs = drawRange(rng, p.meanHoldSec) * 1000;
    this.nextWakeMs = Math.round(rng.exponential(this.entryMs));
  }

  get hasStop(): boolean {
    return this.stopPct !== undefined;
  }

  protected override onLiquidated(): void {
    if (!this.rng.chance(this.p.reenterAfterLiquidation)) this.retired = true;
  }

  act(view: MarketView): UnsequencedCommand[] {
    if (this.retired) {
      this.nextWakeMs = Number.MAX_SAFE_INTEGER;
      return [];
    }
    const account = this.account(view);
    const size = this.position(view, account)?.sizeLots ?? 0;
    if (size !== 0) {
      if (view.nowMs < this.closeAtMs) {
        this.nextWakeMs = this.closeAtMs;
        return [];
      }
      this.wakeIn(view, this.entryMs);
      return [this.cancelAll(view), ...this.flatten(view, size)];
    }
    this.wakeIn(view, this.entryMs);
    const out: UnsequencedCommand[] = [this.cancelAll(view)];
    const equity = this.equityUsdt(view, account);
    const lots = this.lotsForNotional(view, equity * this.marginFraction * this.leverage);
    if (!this.meetsMinNotional(view, lots)) {
      this.retired = true; // too little left to open anything
      return out;
    }
    let side: OrderSideName = this.rng.chance(this.p.longShare) ? 'BUY' : 'SELL';
    if (this.chaser && view.history.minuteCount > this.lookbackMin) {
      side = view.history.price >= view.history.minutesAgo(this.lookbackMin) ? 'BUY' : 'SELL';
    }
    out.push(this.market(view, side, lots));
    const exitSide: OrderSideName = side === 'BUY' ? 'SELL' : 'BUY';
    const sign = side === 'BUY' ? 1 : -1;
    const price = view.indexTicks;
    if (this.stopPct !== undefined) {
      out.push(this.closeTrigger(view, exitSide, 'STOP_MARKET', Math.round(price * (1 - sign * this.stopPct))));
    }
    if (this.takeProfitPct !== undefined) {
      out.push(this.closeTrigger(view, exitSide, 'TAKE_PROFIT_MARKET', Math.round(price * (1 + sign * this.takeProfitPct))));
    }
    this.closeAtMs = view.nowMs + Math.round(this.rng.exponential(this.holdMs));
    this.nextWakeMs = this.closeAtMs;
    return out;
  }
}
