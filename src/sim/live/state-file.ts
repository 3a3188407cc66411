/**
 * @module sim/live/state-file
 * Remembers which venue accounts belong to which live agents, so a restarted server (whose venue
 * state survived) reuses them instead of creating and funding new ones. The file is
 * <stateDir>/sim-agents.json: { "version": 1, "symbol": "BTCUSDT", "accounts": { "<agent name>": <accountId> } }.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface AgentAccounts {
  version: 1;
  symbol: string;
  accounts: Record<string, number>;
}

export const STATE_FILE = 'sim-agents.json';

export function readAgentAccounts(dir: string | undefined, symbol: string): AgentAccounts {
  const empty: AgentAccounts = { version: 1, symbol, accounts: {} };
  if (dir === undefined) return empty;
  const path = join(dir, STATE_FILE);
  if (!existsSync(path)) return empty;
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<AgentAccounts>;
  if (parsed.version !== 1 || parsed.symbol !== symbol || typeof parsed.accounts !== 'object' || parsed.accounts === null) return empty;
  return { version: 1, symbol, accounts: { ...parsed.accounts } };
}

export function writeAgentAccounts(dir: string | undefined, state: AgentAccounts): void {
  if (dir === undefined) return;
  mkdirSync(dir, { recursive: true });
  const path = join(dir, STATE_FILE);
  // Write-then-rename so a crash never leaves a half-written file.
  writeFileSync(`${path}.tmp`, JSON.stringify(state, null, 2) + '\n');
  renameSync(`${path}.tmp`, path);
}
