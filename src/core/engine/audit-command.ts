/**
 * @module engine/audit-command
 * The auditor's second half: checks over one command, from the state before it and the events it
 * produced. Money can leak while it is conserved (a payout to the wrong account balances the
 * books), so these rules say who may be paid and whose balance may be charged:
 * 1. The insurance fund pays a deficit only for a margin that was exhausted by the market: the
 *    paid margin (an isolated position, or an account's cross margin) was at or below maintenance
 *    before the command, or a mark it depends on moved during the command, or funding was charged
 *    to it during the command (a funding payment can bankrupt a thin margin); for cross margin the
 *    account's own trades at poor prices may also have brought it there. A reduce that released
 *    margin the rest of an isolated position needed showed up as a payout at an unchanged mark.
 * 2. An isolated loss stays isolated: the cross wallet pays into an isolated wallet only for an
 *    isolated position that opened lots (grew, or flipped side), or a margin top-up.
 * 3. A trader's own order never leaves a negative balance: after the command no isolated
 *    position's margin balance is negative (the cross figures are in checkInvariants).
 * 4. The policy gate holds: no position of an account that may not open (reduce-only, closed,
 *    cooling off) grows, and none grows at a leverage above the account's cap; both judged by the
 *    standing before and after the command (a dated rule may come into force inside one).
 * Like checkInvariants it is O(state) and runs after every command in tests and the simulator.
 */
import type { Command } from './commands.js';
import type { EngineContext } from './context.js';
import type { EngineEvent } from './events.js';
import { maintenanceMarginE8, unrealizedPnlE8 } from './margin.js';
import { computeCrossRisk } from './metrics.js';
import { admit, effectiveLeverageCap } from './policy.js';
import type { Account } from './state.js';

/** What the command checks need from before the command. */
export interface AuditSnapshot {
  readonly marks: readonly number[];
  /** `${accountId}:${marketIndex}` of isolated positions at or below maintenance. */
  readonly isolatedAtRisk: ReadonlySet<string>;
  /** Accounts whose cross margin was at or below maintenance. */
  readonly crossAtRisk: ReadonlySet<number>;
  /** `${accountId}:${marketIndex}` → signed size of every open position. */
  readonly sizes: ReadonlyMap<string, number>;
  /** Accounts the gate refused to open for, and the leverage caps in force, before the command. */
  readonly standings: ReadonlyMap<number, Standing>;
}

interface Standing {
  readonly mayOpen: boolean;
  readonly leverageCap: number;
}

function standingOf(ctx: EngineContext, account: Account): Standing {
  return { mayOpen: admit(ctx, account, 'OPEN') === undefined, leverageCap: effectiveLeverageCap(ctx, account) };
}

function hasPolicy(account: Account): boolean {
  const policy = account.policy;
  return policy.status !== 'ACTIVE' || policy.leverageCap !== 0 || policy.jurisdiction !== '' || policy.coolOffUntilMs !== 0;
}

export function auditSnapshot(ctx: EngineContext): AuditSnapshot {
  const isolatedAtRisk = new Set<string>();
  const crossAtRisk = new Set<number>();
  const sizes = new Map<string, number>();
  const standings = new Map<number, Standing>();
  for (const account of ctx.accounts.values()) {
    if (hasPolicy(account)) standings.set(account.accountId, standingOf(ctx, account));
    for (const position of account.positions.values()) {
      if (position.sizeLots === 0) continue;
      const key = `${account.accountId}:${position.market}`;
      sizes.set(key, position.sizeLots);
      if (!position.isolated) continue;
      const market = ctx.markets[position.market]!;
      const balance = position.isolatedWalletE8 + unrealizedPnlE8(market.instrument, position, market.markTicks);
      if (balance <= maintenanceMarginE8(market.instrument, position, market.markTicks)) isolatedAtRisk.add(key);
    }
    if (account.crossPositionCount > 0) {
      const totals = computeCrossRisk(ctx, account, ctx.scratch.auditTotals);
      if (totals.marginBalanceE8 <= totals.maintenanceE8) crossAtRisk.add(account.accountId);
    }
  }
  return { marks: ctx.markets.map((market) => market.markTicks), isolatedAtRisk, crossAtRisk, sizes, standings };
}

export function auditCommand(
  ctx: EngineContext, command: Command, events: readonly EngineEvent[], before: AuditSnapshot,
): string[] {
  const violations: string[] = [];
  const markMoved = new Set<string>();
  const grew = new Set<string>();
  const traded = new Set<number>();
  /** Margins charged funding in this command: `${accountId}:${symbol}` (isolated) or `${accountId}` (cross). */
  const fundingCharged = new Set<string>();
  /** Signed sizes as they go (a flip opens a new position even when |size| shrinks). */
  const sizes = new Map(before.sizes);
  for (const event of events) {
    if (event.type === 'MarkPriceUpdated') {
      const market = ctx.marketBySymbol.get(event.symbol)!;
      if (event.markTicks !== before.marks[market.marketIndex]) markMoved.add(event.symbol);
    } else if (event.type === 'PositionChanged') {
      const key = `${event.accountId}:${ctx.marketBySymbol.get(event.symbol)!.marketIndex}`;
      const previous = sizes.get(key) ?? 0;
      const opened = event.sizeLots > 0 ? event.sizeLots > previous : event.sizeLots < 0 && event.sizeLots < previous;
      if (opened) grew.add(key);
      sizes.set(key, event.sizeLots);
    } else if (event.type === 'BalanceChanged' && event.reason === 'FUNDING_FEE' && event.deltaE8 < 0n) {
      fundingCharged.add(event.isolatedSymbol === '' ? `${event.accountId}` : `${event.accountId}:${event.isolatedSymbol}`);
    } else if (event.type === 'Trade' && event.kind === 'NORMAL') {
      traded.add(event.makerAccountId);
      traded.add(event.takerAccountId);
    }
  }
  for (const event of events) {
    if (event.type === 'InsuranceFundChanged' && event.reason === 'DEFICIT') {
      checkDeficit(ctx, event.accountId, event.symbol, before, { markMoved, traded, fundingCharged }, violations);
    } else if (event.type === 'BalanceChanged' && event.isolatedSymbol === '' && event.reason === 'ISOLATED_MARGIN' &&
      event.deltaE8 < 0n) {
      const key = `${event.accountId}:${ctx.marketBySymbol.get(event.symbol)!.marketIndex}`;
      const topUp = command.type === 'AdjustIsolatedMargin' && command.accountId === event.accountId && command.amountE8 > 0n;
      if (!grew.has(key) && !topUp) {
        violations.push(`account ${event.accountId}: cross wallet charged ${-event.deltaE8} for isolated ${event.symbol} that did not grow`);
      }
    }
  }
  for (const account of ctx.accounts.values()) {
    for (const position of account.positions.values()) {
      if (!position.isolated || position.sizeLots === 0) continue;
      const market = ctx.markets[position.market]!;
      const balance = position.isolatedWalletE8 + unrealizedPnlE8(market.instrument, position, market.markTicks);
      if (balance < 0n) violations.push(`account ${account.accountId}: isolated ${market.instrument.symbol} margin balance ${balance}`);
    }
  }
  checkGate(ctx, grew, before, violations);
  return violations;
}

function checkGate(ctx: EngineContext, grew: ReadonlySet<string>, before: AuditSnapshot, violations: string[]): void {
  for (const key of grew) {
    const [accountId, marketIndex] = key.split(':').map(Number) as [number, number];
    const account = ctx.account(accountId);
    const was = before.standings.get(accountId);
    if (was === undefined && !hasPolicy(account)) continue;
    const now = standingOf(ctx, account);
    if (was !== undefined && !was.mayOpen && !now.mayOpen) {
      violations.push(`account ${accountId}: position in market ${marketIndex} grew while the policy gate refuses openings`);
    }
    const leverage = account.positions.get(marketIndex)!.leverage;
    const capBefore = was?.leverageCap ?? 0;
    const cap = capBefore === 0 || now.leverageCap === 0 ? 0 : Math.max(capBefore, now.leverageCap);
    if (cap > 0 && leverage > cap) {
      violations.push(`account ${accountId}: position in market ${marketIndex} grew at leverage ${leverage} above the cap ${cap}`);
    }
  }
}

/** What happened during the command that may legitimately exhaust a margin. */
interface CommandCauses {
  readonly markMoved: ReadonlySet<string>;
  readonly traded: ReadonlySet<number>;
  readonly fundingCharged: ReadonlySet<string>;
}

function checkDeficit(
  ctx: EngineContext, accountId: number, symbol: string, before: AuditSnapshot, causes: CommandCauses, violations: string[],
): void {
  const { markMoved, traded, fundingCharged } = causes;
  const account = ctx.findAccount(accountId);
  if (account === undefined) return;
  const market = symbol === '' ? undefined : ctx.marketBySymbol.get(symbol);
  const position = market === undefined ? undefined : account.positions.get(market.marketIndex);
  if (position?.isolated === true) {
    if (markMoved.has(symbol) || before.isolatedAtRisk.has(`${accountId}:${position.market}`) ||
      fundingCharged.has(`${accountId}:${symbol}`)) return;
    violations.push(`insurance fund paid account ${accountId}'s isolated ${symbol}, which was above maintenance at an unchanged mark`);
    return;
  }
  if (before.crossAtRisk.has(accountId) || traded.has(accountId) || fundingCharged.has(`${accountId}`)) return;
  // A cross margin depends on the marks of every symbol the account holds.
  for (const held of account.positions.values()) {
    if (!held.isolated && markMoved.has(ctx.markets[held.market]!.instrument.symbol)) return;
  }
  violations.push(`insurance fund paid account ${accountId}'s cross margin, which was above maintenance at unchanged marks`);
}
