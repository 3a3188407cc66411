/**
 * @module sim/agents/factory
 * Turns a scenario's agent groups and named accounts into agents. Each agent gets its own random
 * stream derived from the scenario seed and its name, so a population's members differ, and
 * adding a group never changes the agents of another group.
 */
import { compileInstrument, type InstrumentSpec } from '../../core/index.js';
import { Rng } from '../rng.js';
import type { AgentGroupSpec, NamedAccountSpec, ScenarioSpec } from '../scenario/schema.js';
import { Arbitrageur } from './arbitrageur.js';
import { Builder } from './builder.js';
import { CarryTrader } from './carry.js';
import { CopyFollower, type CopyFollowerParams } from './copy-follower.js';
import { Holder } from './holder.js';
import { MarketMaker } from './market-maker.js';
import { MeanReversionTrader } from './mean-reversion.js';
import { MomentumTrader } from './momentum.js';
import { NoiseTrader } from './noise.js';
import { RetailTrader } from './retail.js';
import { Scalper } from './scalper.js';
import type { Agent } from './types.js';

type AgentDef = { type: AgentGroupSpec['type']; params: unknown; marginType?: 'ISOLATED' | 'CROSSED' | undefined };

function drawCapital(rng: Rng, capital: number | readonly [number, number]): number {
  if (typeof capital === 'number') return capital;
  return Math.round(rng.logUniform(capital[0], capital[1]) * 100) / 100;
}

function build(def: AgentDef, name: string, group: string, capitalUsdt: number, rng: Rng, lotsPerBase: number,
  byName: ReadonlyMap<string, Agent>): Agent {
  const margin = def.marginType;
  switch (def.type) {
    case 'marketMaker':
      return new MarketMaker(name, group, capitalUsdt, def.params as never, lotsPerBase, rng, margin ?? 'CROSSED');
    case 'noise': return new NoiseTrader(name, group, capitalUsdt, def.params as never, rng, margin ?? 'CROSSED');
    case 'momentum': return new MomentumTrader(name, group, capitalUsdt, def.params as never, rng, margin ?? 'CROSSED');
    case 'meanReversion':
      return new MeanReversionTrader(name, group, capitalUsdt, def.params as never, rng, margin ?? 'CROSSED');
    case 'retail': return new RetailTrader(name, group, capitalUsdt, def.params as never, rng);
    case 'scalper': return new Scalper(name, group, capitalUsdt, def.params as never, rng);
    case 'arbitrageur':
      return new Arbitrageur(name, group, capitalUsdt, def.params as never, lotsPerBase, rng, margin ?? 'CROSSED');
    case 'holder': return new Holder(name, group, capitalUsdt, def.params as never, rng);
    case 'builder': return new Builder(name, group, capitalUsdt, def.params as never, rng);
    case 'carry': return new CarryTrader(name, group, capitalUsdt, def.params as never, lotsPerBase, rng);
    case 'copyFollower': {
      const params = def.params as CopyFollowerParams;
      const leader = byName.get(params.leader) ?? byName.get(`${params.leader}-1`);
      if (leader === undefined) throw new Error(`agent ${name}: leader "${params.leader}" is not an agent of this scenario`);
      if (leader.kind === 'copyFollower') throw new Error(`agent ${name}: "${params.leader}" copies someone itself and cannot lead`);
      leader.copyLead = true;
      return new CopyFollower(name, group, capitalUsdt, params, leader, rng);
    }
  }
}

/** All agents of a scenario: groups first (in file order), then named accounts. */
export function createAgents(spec: Pick<ScenarioSpec, 'seed' | 'agents' | 'accounts'>, instrument: InstrumentSpec): Agent[] {
  const compiled = compileInstrument(instrument);
  const lotsPerBase = 10 ** compiled.lot.scale / Number(compiled.lot.digits);
  const agents: Agent[] = [];
  const byName = new Map<string, Agent>();
  const add = (agent: Agent): void => {
    if (byName.has(agent.name)) throw new Error(`two agents are named ${agent.name}`);
    byName.set(agent.name, agent);
    agents.push(agent);
  };
  const followers: [NamedAccountSpec | AgentGroupSpec, number][] = [];
  for (const groupSpec of spec.agents) {
    const group = groupSpec.name ?? groupSpec.type;
    if (groupSpec.type === 'copyFollower') {
      followers.push([groupSpec, 0]);
      continue;
    }
    for (let i = 1; i <= groupSpec.count; i++) {
      const name = `${group}-${i}`;
      const rng = new Rng(spec.seed, `agent:${name}`);
      add(build(groupSpec, name, group, drawCapital(rng, groupSpec.capitalUsdt), rng, lotsPerBase, byName));
    }
  }
  for (const account of spec.accounts) {
    if (account.agent.type === 'copyFollower') {
      followers.push([account, 0]);
      continue;
    }
    const rng = new Rng(spec.seed, `account:${account.name}`);
    add(build(account.agent, account.name, account.name, account.capitalUsdt, rng, lotsPerBase, byName));
  }
  // Followers last: their leaders must exist.
  for (const [entry] of followers) {
    if ('agent' in entry) {
      const rng = new Rng(spec.seed, `account:${entry.name}`);
      add(build(entry.agent, entry.name, entry.name, entry.capitalUsdt, rng, lotsPerBase, byName));
    } else {
      const group = entry.name ?? entry.type;
      for (let i = 1; i <= entry.count; i++) {
        const name = `${group}-${i}`;
        const rng = new Rng(spec.seed, `agent:${name}`);
        add(build(entry, name, group, drawCapital(rng, entry.capitalUsdt), rng, lotsPerBase, byName));
      }
    }
  }
  return agents;
}

