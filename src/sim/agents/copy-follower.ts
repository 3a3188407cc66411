/**
 * @module sim/agents/copy-follower
 * The hook for copy followers. Copy trading (lead traders, followers by fixed amount or ratio,
 * caps, profit share) is a later issue; when it lands it registers a CopyTradingHook here and
 * scenario agents of type `copyFollower` start working. Until then a scenario that asks for
 * followers fails at load with a message saying so, instead of silently running without them.
 */
import { z } from 'zod';
import type { Rng } from '../rng.js';
import type { Agent } from './types.js';

export const copyFollowerParams = z.object({
  /** Name of the agent (or named account) to follow. */
  leader: z.string().min(1),
  mode: z.enum(['FIXED_AMOUNT', 'RATIO']).default('RATIO'),
  /** USDT per copied trade (FIXED_AMOUNT) or multiple of the leader's size (RATIO). */
  amount: z.number().positive().default(1),
  maxPositionUsdt: z.number().positive().optional(),
}).passthrough();
export type CopyFollowerParams = z.infer<typeof copyFollowerParams>;

export interface CopyFollowerInit {
  readonly name: string;
  readonly group: string;
  readonly capitalUsdt: number;
  readonly params: CopyFollowerParams;
  /** The leader agent, resolved by name. */
  readonly leader: Agent;
  readonly rng: Rng;
}

/** What copy trading provides: an Agent per follower, mirroring the leader's fills. */
export interface CopyTradingHook {
  createFollower(init: CopyFollowerInit): Agent;
}

let hook: CopyTradingHook | undefined;

export function registerCopyTradingHook(next: CopyTradingHook | undefined): void {
  hook = next;
}

export function copyTradingHook(): CopyTradingHook | undefined {
  return hook;
}
