/**
 * @module sim/live/agents
 * The live market's default cast: two market makers and an arbitrageur always (so a client can
 * trade at once and the mark follows the index), and with `agents: 'all'` a background crowd of
 * noise, momentum, mean-reversion and retail traders. Names are fixed, which is what lets a
 * restart find their accounts again.
 */
import { compileInstrument, type InstrumentSpec } from '../../core/index.js';
import { createAgents } from '../agents/factory.js';
import type { Agent } from '../agents/types.js';
import type { AgentGroupSpec } from '../scenario/schema.js';
import { agentGroupSchema } from '../scenario/schema.js';

export type LiveCast = 'none' | 'makers' | 'all';

export function liveAgents(instrument: InstrumentSpec, cast: LiveCast, seed: number): Agent[] {
  if (cast === 'none') return [];
  const compiled = compileInstrument(instrument);
  // Scale maker clip sizes to the instrument: about 20,000 USDT per first level at the default price range.
  const isBtc = compiled.symbol.startsWith('BTC');
  const groups: unknown[] = [
    { type: 'marketMaker', name: 'live-mm', count: 2, capitalUsdt: 20_000_000,
      params: { levels: 5, levelQty: isBtc ? 0.4 : 6, halfSpreadBps: 1.5, levelStepBps: 2.5, maxInventory: isBtc ? 40 : 600 } },
    { type: 'arbitrageur', name: 'live-arb', count: 1, capitalUsdt: 5_000_000, params: { clipQty: isBtc ? 1 : 15, maxInventory: isBtc ? 20 : 300 } },
  ];
  if (cast === 'all') {
    groups.push(
      { type: 'noise', name: 'live-noise', count: 20, capitalUsdt: [2_000, 50_000], params: { meanIntervalSec: [20, 120] } },
      { type: 'momentum', name: 'live-momentum', count: 5, capitalUsdt: [5_000, 50_000] },
      { type: 'meanReversion', name: 'live-meanrev', count: 5, capitalUsdt: [5_000, 50_000] },
      { type: 'retail', name: 'live-retail', count: 30, capitalUsdt: [100, 5_000], params: { meanEntryIntervalSec: [120, 900], meanHoldSec: [300, 3_600] } },
    );
  }
  const agents: AgentGroupSpec[] = groups.map((g) => agentGroupSchema.parse(g));
  return createAgents({ seed, agents, accounts: [] }, instrument);
}
