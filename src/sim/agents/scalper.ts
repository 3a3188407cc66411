/**
 * @module sim/agents/scalper
 * The scalper from the story: small capital, 100x, cross margin, one decision every few minutes.
 * He starts short. Whenever his position shows a profit he "rolls" it: cross margin lets
 * unrealized profit back new exposure, so he tops the position up to leverage × equity — a bigger
 * position each time, with a liquidation price that creeps ever closer. Once the price has fallen
 * `flipAfterDropPct` from his first entry and bounced `flipOnReboundPct` off the low, he flips
 * long and keeps rolling. At 100x a move of well under 1% against the rolled position ends it.
 */
import { z } from 'zod';
import type { UnsequencedCommand } from '../../core/index.js';
import type { Rng } from '../rng.js';
import { BaseAgent, drawRange } from './base.js';
import { range } from './params.js';
import type { MarketView } from './types.js';

export const scalperParams = z.object({
  leverage: z.number().int().min(1).max(125).default(100),
  firstSide: z.enum(['SHORT', 'LONG']).default('SHORT'),
  /** Seconds between decisions, drawn uniformly each time. */
  intervalSec: range(1, 86_400).default([120, 360]),
  /** Share of leverage × equity he uses (keeps the order affordable after fees). */
  exposure: z.number().min(0.05).max(1).default(0.9),
  /** Roll only when unrealized profit is at least this share of the wallet. */
  rollMinProfit: z.number().min(0).max(10).default(0.05),
  flipAfterDropPct: z.number().min(0).max(90).default(3),
  flipOnReboundPct: z.number().min(0).max(90).default(1),
  /** Start trading this many seconds after the run starts. */
  startAfterSec: z.number().min(0).default(0),
}).strict();
export type ScalperParams = z.infer<typeof scalperParams>;

export class Scalper extends BaseAgent {
  private direction: 1 | -1;
  private firstEntry = 0;
  private extreme = 0;
  private flipped = false;
  rolls = 0;
  flips = 0;

  constructor(name: string, group: string, capitalUsdt: number, private readonly p: ScalperParams, rng: Rng) {
    super(name, 'scalper', group, capitalUsdt, p.leverage, 'CROSSED', rng);
    this.direction = p.firstSide === 'SHORT' ? -1 : 1;
    this.nextWakeMs = Math.round(p.startAfterSec * 1000);
  }

  act(view: MarketView): UnsequencedCommand[] {
    this.nextWakeMs = view.nowMs + Math.round(drawRange(this.rng, this.p.intervalSec) * 1000);
    const price = view.history.price;
    const account = this.account(view);
    if (account === undefined) return [];
    const position = this.position(view, account);
    const size = position?.sizeLots ?? 0;
    const equity = this.equityUsdt(view, account);
    if (this.firstEntry === 0) {
      this.firstEntry = price;
      this.extreme = price;
    }
    // Track the run's extreme in his current direction (low for a short, high for a long).
    if (this.direction < 0 ? price < this.extreme : price > this.extreme) this.extreme = price;
    if (!this.flipped && this.direction === -1) {
      const drop = (this.firstEntry - this.extreme) / this.firstEntry;
      const rebound = (price - this.extreme) / this.extreme;
      if (drop * 100 >= this.p.flipAfterDropPct && rebound * 100 >= this.p.flipOnReboundPct) {
        this.flipped = true;
        this.flips++;
        this.direction = 1;
        this.extreme = price;
        return [...this.flatten(view, size), ...this.open(view, equity)];
      }
    }
    if (size === 0) return this.open(view, equity);
    const wallet = Number(account.walletBalanceE8) / 1e8;
    const upnl = Number(position?.unrealizedPnlE8 ?? 0n) / 1e8;
    if (upnl <= wallet * this.p.rollMinProfit) return [];
    // Roll: top the position up to exposure × leverage × equity (profit included).
    const target = this.lotsForNotional(view, equity * this.p.leverage * this.p.exposure);
    const add = target - Math.abs(size);
    if (add <= 0 || !this.meetsMinNotional(view, add)) return [];
    this.rolls++;
    return [this.market(view, this.direction > 0 ? 'BUY' : 'SELL', add)];
  }

  private open(view: MarketView, equity: number): UnsequencedCommand[] {
    const lots = this.lotsForNotional(view, equity * this.p.leverage * this.p.exposure);
    if (!this.meetsMinNotional(view, lots)) {
      this.nextWakeMs = Number.MAX_SAFE_INTEGER; // wiped out: nothing left to trade with
      return [];
    }
    return [this.market(view, this.direction > 0 ? 'BUY' : 'SELL', lots)];
  }
}
