/**
 * @module sim/agents/copy-follower
 * A copy follower: a fan who copies a leader agent through the engine's copy trading
 * (docs/MECHANICS.md "Copy trading"). Its account is a copy sub-account; its only command is the
 * Follow it sends at setup, after which the engine copies every trade of the leader's portfolio
 * in the leader's own command. It never acts itself; its liquidations are its own. The leader's
 * account becomes a lead portfolio (copy-accounts.ts).
 */
import { z } from 'zod';
import type { UnsequencedCommand } from '../../core/index.js';
import type { Rng } from '../rng.js';
import { BaseAgent } from './base.js';
import type { Agent } from './types.js';

const E8 = 100_000_000;

export const copyFollowerParams = z.object({
  /** Name of the agent (or named account) to follow. */
  leader: z.string().min(1),
  /** RATIO: the whole capital is invested, copied in proportion to the leader's equity; FIXED_AMOUNT: margin per copied opening. */
  mode: z.enum(['FIXED_AMOUNT', 'RATIO']).default('RATIO'),
  /** FIXED_AMOUNT: USDT of margin per copied opening (ignored for RATIO). */
  amount: z.number().positive().default(10),
  /** Fixed leverage 1–10 of the copies; 0: the leader's. */
  leverage: z.number().int().min(0).max(10).default(0),
  /** Open-slippage guard in percent (0.1–3); 0: the venue's default. */
  slippagePercent: z.number().min(0).max(3).default(0),
}).strict();
export type CopyFollowerParams = z.infer<typeof copyFollowerParams>;

export class CopyFollower extends BaseAgent {
  constructor(
    name: string, group: string, capitalUsdt: number, private readonly params: CopyFollowerParams, private readonly leader: Agent,
    rng: Rng,
  ) {
    super(name, 'copyFollower', group, capitalUsdt, params.leverage > 0 ? params.leverage : leader.leverage, 'CROSSED', rng);
    // Never wakes: the engine does its trading.
    this.nextWakeMs = Number.MAX_SAFE_INTEGER;
  }

  get leaderName(): string {
    return this.leader.name;
  }

  override setup(): UnsequencedCommand[] {
    const amountUsdt = this.params.mode === 'RATIO' ? this.capitalUsdt : this.params.amount;
    return [{
      type: 'Follow', accountId: this.accountId, leadAccountId: this.leader.accountId,
      mode: this.params.mode === 'RATIO' ? 'FIXED_RATIO' : 'FIXED_AMOUNT', amountE8: BigInt(Math.round(amountUsdt * E8)),
      leverage: this.params.leverage, slippageBps: Math.round(this.params.slippagePercent * 100), stopLossBps: 0,
      copyExisting: false,
    }];
  }

  act(): UnsequencedCommand[] {
    this.nextWakeMs = Number.MAX_SAFE_INTEGER;
    return [];
  }
}
