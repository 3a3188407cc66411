/**
 * @module sim/agents/copy-accounts
 * How copy trading shapes an agent's accounts, for both runners (batch world and live driver):
 * a leader and its followers trade from sub-accounts (the engine's rule), so each gets a master
 * account first; after its setup a leader opens its lead portfolio (10 % profit share, the
 * venue's caps).
 */
import type { UnsequencedCommand } from '../../core/index.js';
import type { Agent } from './types.js';

export function needsSubAccount(agent: Agent): boolean {
  return agent.copyLead === true || agent.kind === 'copyFollower';
}

export function afterSetup(agent: Agent): UnsequencedCommand[] {
  if (agent.copyLead !== true) return [];
  return [{ type: 'OpenLeadPortfolio', accountId: agent.accountId, profitShareBps: 1000, copyCapE8: 0n, minCopyE8: 0n, maxFollowers: 0 }];
}
