/**
 * @module sim/agents/holder
 * Holder: opens one position at a set time (side, leverage, margin type, share of capital) and
 * holds it — "a 100x long opened at the day's open", "hold a 100x short". Optionally closes at a
 * set time. The reference case for liquidation tests and risk-of-ruin runs.
 */
import { z } from 'zod';
import type { UnsequencedCommand } from '../../core/index.js';
import type { Rng } from '../rng.js';
import { BaseAgent } from './base.js';
import type { MarketView } from './types.js';

/** Each retry of the opening order asks for this share of the previous size. */
const RETRY_SHRINK = 0.95;

export const holderParams = z.object({
  side: z.enum(['LONG', 'SHORT']),
  leverage: z.number().int().min(1).max(125),
  marginType: z.enum(['ISOLATED', 'CROSSED']).default('ISOLATED'),
  /** Share of leverage × capital to open (0.9 leaves room for the taker fee and the open loss at 100x). */
  exposure: z.number().min(0.01).max(1).default(0.9),
  /** Seconds after the run starts. */
  openAfterSec: z.number().min(0).default(0),
  closeAfterSec: z.number().min(0).optional(),
}).strict();
export type HolderParams = z.infer<typeof holderParams>;

export class Holder extends BaseAgent {
  opened = false;
  private attempts = 0;
  private closed = false;
  private startMs = -1;

  constructor(name: string, group: string, capitalUsdt: number, private readonly p: HolderParams, rng: Rng) {
    super(name, 'holder', group, capitalUsdt, p.leverage, p.marginType, rng);
    this.nextWakeMs = 0;
  }

  act(view: MarketView): UnsequencedCommand[] {
    if (this.startMs < 0) this.startMs = view.nowMs;
    const size = this.positionLots(view);
    if (!this.opened && size !== 0) {
      this.opened = true;
      this.nextWakeMs = this.p.closeAfterSec === undefined ? Number.MAX_SAFE_INTEGER
        : Math.max(view.nowMs + 1, this.startMs + this.p.closeAfterSec * 1000);
      return [];
    }
    if (!this.opened) {
      const openAt = this.startMs + this.p.openAfterSec * 1000;
      if (view.nowMs < openAt) {
        this.nextWakeMs = openAt;
        return [];
      }
      // Retry a few times a second apart (an empty book, or a margin reject when the ask sits above the
      // mark: at 100x a 10 bps premium costs a tenth of the margin), a little smaller each time.
      if (++this.attempts > 10) {
        this.nextWakeMs = Number.MAX_SAFE_INTEGER;
        return [];
      }
      this.nextWakeMs = view.nowMs + 1_000;
      const shrink = Math.pow(RETRY_SHRINK, this.attempts - 1);
      const lots = this.lotsForNotional(view, this.capitalUsdt * this.leverage * this.p.exposure * shrink);
      if (!this.meetsMinNotional(view, lots)) return [];
      return [this.market(view, this.p.side === 'LONG' ? 'BUY' : 'SELL', lots)];
    }
    if (!this.closed && size !== 0) {
      this.closed = true;
      this.nextWakeMs = Number.MAX_SAFE_INTEGER;
      return this.flatten(view, size);
    }
    this.nextWakeMs = Number.MAX_SAFE_INTEGER;
    return [];
  }
}
