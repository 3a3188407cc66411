/**
 * @module sim/report/copy-fate
 * What happened to copy followers next to their leader (issue 15): for each leader, how many of
 * its followers were liquidated before it, with it (the same millisecond: the copy closes in the
 * leader's own command), after it, or never, and their capital against their end equity.
 */
import { CopyFollower } from '../agents/copy-follower.js';
import type { SimResult } from '../run/batch.js';

export interface CopyFate {
  readonly leader: string;
  readonly leaderLiquidatedAtMs: number | null;
  readonly followers: number;
  readonly liquidatedBefore: number;
  readonly liquidatedWith: number;
  readonly liquidatedAfter: number;
  readonly neverLiquidated: number;
  readonly capitalUsdt: number;
  readonly endEquityUsdt: number;
}

const round2 = (x: number): number => Math.round(x * 100) / 100;

export function copyFates(result: SimResult): CopyFate[] {
  const agents = result.world.agents;
  const byLeader = new Map<string, { -readonly [K in keyof CopyFate]: CopyFate[K] }>();
  agents.forEach((agent, i) => {
    if (!(agent instanceof CopyFollower)) return;
    const leader = agents.find((candidate) => candidate.name === agent.leaderName)!;
    const leaderAt = leader.firstLiquidationMs ?? null;
    let fate = byLeader.get(leader.name);
    if (fate === undefined) {
      fate = {
        leader: leader.name, leaderLiquidatedAtMs: leaderAt, followers: 0, liquidatedBefore: 0, liquidatedWith: 0, liquidatedAfter: 0,
        neverLiquidated: 0, capitalUsdt: 0, endEquityUsdt: 0,
      };
      byLeader.set(leader.name, fate);
    }
    fate.followers++;
    const at = agent.firstLiquidationMs;
    if (at === undefined) fate.neverLiquidated++;
    else if (leaderAt === null || at < leaderAt) fate.liquidatedBefore++;
    else if (at === leaderAt) fate.liquidatedWith++;
    else fate.liquidatedAfter++;
    fate.capitalUsdt += agent.capitalUsdt;
    const series = result.recorder.equityOf(i);
    fate.endEquityUsdt += series.length > 0 ? series[series.length - 1]! : 0;
  });
  return [...byLeader.values()].map((fate) => ({ ...fate, capitalUsdt: round2(fate.capitalUsdt), endEquityUsdt: round2(fate.endEquityUsdt) }));
}
