/**
 * @module sim/agents/carry
 * Cash-and-carry trader: the short side of a bull market's open interest. When the perpetual's
 * bid is at a premium of `entryBps` or more over the index it sells (the spot leg it would buy is
 * implied — the simulator has no spot market) and holds, collecting funding from the longs; when
 * the perpetual falls to a discount of `exitBps` or more it buys back, which is what supports the
 * perpetual when longs are forced out. Its capital is finite (a position cap from capital ×
 * leverage), and in a fast market it waits for a deeper discount (`volExitFactor` × one-minute
 * volatility), as a desk whose spot leg is crashing too would: together these let the basis open
 * in a cascade instead of being pinned at zero.
 */
import { z } from 'zod';
import type { UnsequencedCommand } from '../../core/index.js';
import type { Rng } from '../rng.js';
import { BaseAgent } from './base.js';
import { stressBps } from './stress.js';
import type { MarketView } from './types.js';

export const carryParams = z.object({
  leverage: z.number().int().min(1).max(20).default(3),
  /** Premium of the best bid over the index (bps) at which it sells. */
  entryBps: z.number().min(-100).max(500).default(5),
  /** Discount (bps, positive number) of the best ask under the index at which it buys back. */
  exitBps: z.number().min(0).max(2_000).default(30),
  /** Extra discount required per bp of one-minute volatility above volFloorBps. */
  volExitFactor: z.number().min(0).max(50).default(1),
  volFloorBps: z.number().min(0).max(1_000).default(0),
  /** Extra discount (bps, × volExitFactor) per million USDT a minute of recent liquidations. */
  liqStressBpsPerMillion: z.number().min(0).max(1_000).default(0),
  /** Largest order, base units. */
  clipQty: z.number().positive().default(1),
  /** Share of capital × leverage it is willing to hold short. */
  utilization: z.number().min(0.01).max(1).default(0.8),
  /** Act every n-th step. */
  everySteps: z.number().int().min(1).default(1),
}).strict();
export type CarryParams = z.infer<typeof carryParams>;

export class CarryTrader extends BaseAgent {
  override readonly everyStep = true;
  private steps = 0;

  constructor(name: string, group: string, capitalUsdt: number, private readonly p: CarryParams,
    private readonly lotsPerBase: number, rng: Rng) {
    super(name, 'carry', group, capitalUsdt, p.leverage, 'CROSSED', rng);
  }

  act(view: MarketView): UnsequencedCommand[] {
    if (++this.steps % this.p.everySteps !== 0) return [];
    const index = view.indexTicks;
    const size = this.positionLots(view);
    const clip = Math.max(view.instrument.minQtyLots, Math.round(this.p.clipQty * this.lotsPerBase));
    const exit = index * (1 - (this.p.exitBps + this.p.volExitFactor * stressBps(view, this.p)) / 10_000);
    if (size < 0 && view.bestAsk !== -1 && view.bestAsk <= exit) {
      return [{ ...this.limit(view, 'BUY', Math.min(-size, clip), Math.floor(exit), 'IOC'), reduceOnly: true }];
    }
    const entry = index * (1 + this.p.entryBps / 10_000);
    if (view.bestBid === -1 || view.bestBid < entry) return [];
    const capLots = Math.floor((this.capitalUsdt * this.p.leverage * this.p.utilization)
      / ((index * Number(view.instrument.quotePerTickLotE8)) / 1e8));
    const lots = Math.min(clip, capLots + size);
    if (lots <= 0 || !this.meetsMinNotional(view, lots)) return [];
    return [this.limit(view, 'SELL', lots, Math.ceil(entry), 'IOC')];
  }
}
