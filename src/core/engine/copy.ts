/**
 * @module engine/copy
 * Copy trading inside the sequenced command stream (docs/MECHANICS.md "Copy trading"):
 * - a lead portfolio is a sub-account; followers copy it from copy sub-accounts of their own;
 * - a lead's order changes its position; in the same command, once the lead's order is done, the
 *   settle loop drains the change (copy-state.ts) and every follower copies it: closes first
 *   (in proportion to the follower's position, so a lead's full close closes the copy), then
 *   openings (FIXED_RATIO: the follower's share of the lead's new size less its share of the old;
 *   FIXED_AMOUNT: its margin per opening at its leverage), each side as one fair sweep
 *   (copy-sweep.ts); a follower's liquidation is its own;
 * - profit share on a high-water mark (Binance's formula) is settled weekly (Monday 00:00 UTC), and
 *   at once when a follower stops or takes money out;
 * - stopping (unfollow, removal by the lead, portfolio close, portfolio stop-loss) cancels the
 *   copy account's orders, closes its positions at market, settles, and returns its free balance
 *   to its master.
 */
import { BUY, SELL } from '../book/types.js';
import type { CopyStopReasonName, ProfitShareOutcomeName } from '../schema/enums.js';
import { withdrawableE8 } from './account-commands.js';
import type {
  CloseLeadPortfolioCommand, FollowCommand, OpenLeadPortfolioCommand, RemoveFollowerCommand, UnfollowCommand,
} from './commands.js';
import type { EngineContext } from './context.js';
import { lotsForMargin, profitToSettleE8, scaledLots } from './copy-math.js';
import {
  COPY_LIMITS, Follower, LeadPortfolio, followerSlotsFor, linkFollower, linkLead, nextSettlementMs, type CopyWork,
} from './copy-state.js';
import { recordSkip, sweepForFollowers, type SweepLeg } from './copy-sweep.js';
import { maxNotionalForLeverage } from '../instrument/instrument.js';
import { unrealizedPnlE8 } from './margin.js';
import { accountEquityE8 } from './metrics.js';
import { endLiveOrder } from './order-lifecycle.js';
import { effectiveLeverageCap } from './policy.js';
import { positionOf } from './positions.js';
import { REJECT, type RejectReason } from './reject-codes.js';
import type { Account, Market } from './state.js';
import { addTimer, type Timer } from './timers.js';

// ---- Figures --------------------------------------------------------------------------------

/** Equity (metrics.ts accountEquityE8) in the command's scratch totals. */
export function equityE8(ctx: EngineContext, account: Account): bigint {
  return accountEquityE8(ctx, account, ctx.scratch.commandTotals);
}

function unrealizedE8(ctx: EngineContext, account: Account): bigint {
  let total = 0n;
  for (const position of account.positions.values()) {
    if (position.sizeLots === 0) continue;
    const market = ctx.markets[position.market]!;
    total += unrealizedPnlE8(market.instrument, position, market.markTicks);
  }
  return total;
}

/** Binance's Total PnL of a follower: equity − net investment, with the share already paid added back. */
export function followerTotalPnlE8(ctx: EngineContext, follower: Follower): bigint {
  return equityE8(ctx, ctx.account(follower.accountId)) + follower.sharedE8 - follower.investedE8;
}

function isFlatWithoutOrders(account: Account): boolean {
  if (account.orders.size > 0) return false;
  for (const position of account.positions.values()) if (position.sizeLots !== 0) return false;
  return true;
}

// ---- Commands -------------------------------------------------------------------------------

export function openLeadPortfolio(ctx: EngineContext, cmd: OpenLeadPortfolioCommand): void {
  const reason = tryOpenLeadPortfolio(ctx, cmd);
  if (reason !== undefined) ctx.reject(cmd.type, reason, cmd.accountId, '');
}

function tryOpenLeadPortfolio(ctx: EngineContext, cmd: OpenLeadPortfolioCommand): RejectReason | undefined {
  const account = ctx.findAccount(cmd.accountId);
  if (account === undefined) return REJECT.ACCOUNT_NOT_FOUND;
  if (account.parentAccountId === 0) return REJECT.COPY_NOT_SUB_ACCOUNT;
  if (account.copyLead !== undefined || account.copyFollower !== undefined || account.sponsorship !== undefined ||
    !isFlatWithoutOrders(account)) {
    return REJECT.COPY_ACCOUNT_BUSY;
  }
  if (!Number.isSafeInteger(cmd.profitShareBps) || cmd.profitShareBps < 0 || cmd.profitShareBps > COPY_LIMITS.maxProfitShareBps ||
    cmd.copyCapE8 < 0n || cmd.minCopyE8 < 0n || (cmd.copyCapE8 > 0n && cmd.minCopyE8 > cmd.copyCapE8) ||
    !Number.isSafeInteger(cmd.maxFollowers) || cmd.maxFollowers < 0) {
    return REJECT.COPY_INVALID_SETTINGS;
  }
  if (equityE8(ctx, account) < COPY_LIMITS.leadMinimumE8) return REJECT.COPY_LEAD_MINIMUM;
  if (ctx.copy.settlementAtMs === 0) {
    const atMs = nextSettlementMs(cmd.atMs);
    if (!addTimer(ctx, { atMs, kind: 'COPY_SETTLEMENT', accountId: 0, key: '' })) return REJECT.TIMER_LIMIT;
    ctx.copy.settlementAtMs = atMs;
  }
  const portfolio = new LeadPortfolio(account.accountId, cmd.profitShareBps, cmd.copyCapE8, cmd.minCopyE8, cmd.maxFollowers);
  ctx.copy.portfolios.set(account.accountId, portfolio);
  linkLead(account, portfolio);
  ctx.log.leadPortfolioChanged(account.accountId, true, portfolio.profitShareBps, portfolio.copyCapE8, portfolio.minCopyE8,
    portfolio.maxFollowers);
  return undefined;
}

/** Follower slots now: the lead's setting, never above Bitget's table for its equity. */
export function followerSlots(ctx: EngineContext, portfolio: LeadPortfolio): number {
  const flat = ctx.limits.maxFollowersPerPortfolio;
  const table = flat > 0 ? flat : followerSlotsFor(equityE8(ctx, ctx.account(portfolio.accountId)));
  return portfolio.maxFollowers > 0 && portfolio.maxFollowers < table ? portfolio.maxFollowers : table;
}

export function follow(ctx: EngineContext, cmd: FollowCommand): void {
  const reason = tryFollow(ctx, cmd);
  if (reason !== undefined) ctx.reject(cmd.type, reason, cmd.accountId, '');
}

function tryFollow(ctx: EngineContext, cmd: FollowCommand): RejectReason | undefined {
  const account = ctx.findAccount(cmd.accountId);
  if (account === undefined) return REJECT.ACCOUNT_NOT_FOUND;
  const portfolio = ctx.copy.portfolios.get(cmd.leadAccountId);
  if (portfolio === undefined || cmd.leadAccountId === cmd.accountId) return REJECT.COPY_NO_PORTFOLIO;
  if (account.parentAccountId === 0) return REJECT.COPY_NOT_SUB_ACCOUNT;
  if (account.copyLead !== undefined || account.copyFollower !== undefined || account.sponsorship !== undefined ||
    !isFlatWithoutOrders(account)) {
    return REJECT.COPY_ACCOUNT_BUSY;
  }
  if ((cmd.mode !== 'FIXED_RATIO' && cmd.mode !== 'FIXED_AMOUNT') ||
    !Number.isSafeInteger(cmd.leverage) || cmd.leverage < 0 || cmd.leverage > COPY_LIMITS.maxFollowerLeverage ||
    !Number.isSafeInteger(cmd.slippageBps) || (cmd.slippageBps !== 0 &&
      (cmd.slippageBps < COPY_LIMITS.minSlippageBps || cmd.slippageBps > COPY_LIMITS.maxSlippageBps)) ||
    !Number.isSafeInteger(cmd.stopLossBps) || cmd.stopLossBps < 0 || cmd.stopLossBps >= 10_000) {
    return REJECT.COPY_INVALID_SETTINGS;
  }
  const minimum = portfolio.minCopyE8 > COPY_LIMITS.followMinimumE8 ? portfolio.minCopyE8 : COPY_LIMITS.followMinimumE8;
  const cap = portfolio.copyCapE8 > 0n && portfolio.copyCapE8 < COPY_LIMITS.followMaximumE8 ? portfolio.copyCapE8
    : COPY_LIMITS.followMaximumE8;
  if (cmd.amountE8 < minimum || cmd.amountE8 > cap) return REJECT.COPY_AMOUNT_OUT_OF_RANGE;
  const equity = equityE8(ctx, account);
  // The investment is the copy account's equity: the story's "capped at $1,000" caps that too.
  if (equity < cmd.amountE8 || equity > cap) return REJECT.COPY_AMOUNT_OUT_OF_RANGE;
  if (portfolio.followerIds.length >= followerSlots(ctx, portfolio)) return REJECT.COPY_FULL;
  const leadEquity = equityE8(ctx, ctx.account(portfolio.accountId));
  if (leadEquity <= 0n) return REJECT.COPY_NO_PORTFOLIO;
  const follower = new Follower(account.accountId, portfolio.accountId, cmd.mode, cmd.amountE8, leadEquity, cmd.leverage,
    cmd.slippageBps, cmd.stopLossBps);
  follower.investedE8 = equity;
  ctx.copy.followers.set(account.accountId, follower);
  insertSorted(portfolio.followerIds, account.accountId);
  linkFollower(account, follower);
  ctx.log.followerChanged(account.accountId, portfolio.accountId, 'FOLLOWING', follower.mode, follower.amountE8,
    follower.investedE8);
  if (cmd.copyExisting) copyExistingPositions(ctx, follower, account, cmd.atMs);
  return undefined;
}

function insertSorted(ids: number[], id: number): void {
  let index = ids.length;
  while (index > 0 && ids[index - 1]! > id) index--;
  ids.splice(index, 0, id);
}

export function unfollow(ctx: EngineContext, cmd: UnfollowCommand): void {
  const account = ctx.findAccount(cmd.accountId);
  if (account === undefined) return ctx.reject(cmd.type, REJECT.ACCOUNT_NOT_FOUND, cmd.accountId, '');
  const follower = account.copyFollower;
  if (follower === undefined) return ctx.reject(cmd.type, REJECT.COPY_NOT_FOLLOWING, cmd.accountId, '');
  stopFollowing(ctx, follower, 'UNFOLLOWED', cmd.atMs);
}

export function removeFollower(ctx: EngineContext, cmd: RemoveFollowerCommand): void {
  const follower = ctx.copy.followers.get(cmd.followerAccountId);
  if (!ctx.copy.portfolios.has(cmd.leadAccountId)) return ctx.reject(cmd.type, REJECT.COPY_NO_PORTFOLIO, cmd.leadAccountId, '');
  if (follower === undefined || follower.leadAccountId !== cmd.leadAccountId) {
    return ctx.reject(cmd.type, REJECT.COPY_NOT_FOLLOWING, cmd.leadAccountId, '');
  }
  stopFollowing(ctx, follower, 'REMOVED_BY_LEAD', cmd.atMs);
}

export function closeLeadPortfolio(ctx: EngineContext, cmd: CloseLeadPortfolioCommand): void {
  const portfolio = ctx.copy.portfolios.get(cmd.accountId);
  if (portfolio === undefined) return ctx.reject(cmd.type, REJECT.COPY_NO_PORTFOLIO, cmd.accountId, '');
  for (const id of portfolio.followerIds.slice()) stopFollowing(ctx, ctx.copy.followers.get(id)!, 'PORTFOLIO_CLOSED', cmd.atMs);
  ctx.copy.portfolios.delete(portfolio.accountId);
  ctx.account(portfolio.accountId).copyLead = undefined;
  ctx.log.leadPortfolioChanged(portfolio.accountId, false, portfolio.profitShareBps, portfolio.copyCapE8, portfolio.minCopyE8,
    portfolio.maxFollowers);
}

/** Ends a follower's copying: orders cancelled, positions closed at market, profit share settled, free balance home. */
function stopFollowing(ctx: EngineContext, follower: Follower, reason: CopyStopReasonName, atMs: number): void {
  const account = ctx.account(follower.accountId);
  for (const order of [...account.orders.values()]) endLiveOrder(ctx, order, 'CANCELED', 'CANCELED', 'POLICY', atMs);
  for (const position of account.positions.values()) {
    if (position.sizeLots === 0) continue;
    const market = ctx.markets[position.market]!;
    const side = position.sizeLots > 0 ? SELL : BUY;
    const lots = position.sizeLots > 0 ? position.sizeLots : -position.sizeLots;
    sweepForFollowers(ctx, market, side, [{ follower, account, position, lots }], false, undefined, 0, atMs);
  }
  settleProfitShare(ctx, follower, true);
  const portfolio = ctx.copy.portfolios.get(follower.leadAccountId)!;
  portfolio.followerIds.splice(portfolio.followerIds.indexOf(follower.accountId), 1);
  ctx.copy.followers.delete(follower.accountId);
  account.copyFollower = undefined;
  ctx.log.followerChanged(account.accountId, portfolio.accountId, reason, follower.mode, follower.amountE8, follower.investedE8);
  const parent = ctx.findAccount(account.parentAccountId);
  const free = withdrawableE8(ctx, account);
  if (parent !== undefined && free > 0n) {
    ctx.changeCrossWallet(account, -free, 'TRANSFER', '', parent.accountId);
    ctx.changeCrossWallet(parent, free, 'TRANSFER', '', account.accountId);
  }
}

// ---- Mirroring ------------------------------------------------------------------------------

/** The settle loop's deferred step: every lead change noted during the command, copied. */
export function drainCopyWork(ctx: EngineContext, atMs: number): void {
  const work = ctx.copy.pending.splice(0);
  for (const item of work) mirror(ctx, item, atMs);
}

function mirror(ctx: EngineContext, work: CopyWork, atMs: number): void {
  const portfolio = work.lead;
  const lead = ctx.account(portfolio.accountId);
  if (lead.copyLead !== portfolio || portfolio.followerIds.length === 0) return;
  const market = ctx.markets[work.market]!;
  const before = work.beforeLots;
  const leadPosition = positionOf(ctx, lead, market.marketIndex);
  const after = leadPosition.sizeLots;
  if (after === before) return;
  const absBefore = before < 0 ? -before : before;
  const absAfter = after < 0 ? -after : after;
  const flip = before !== 0 && after !== 0 && (after > 0) !== (before > 0);
  const followers = portfolio.followerIds.map((id) => ctx.copy.followers.get(id)!);
  if (before !== 0 && (after === 0 || flip || absAfter < absBefore)) {
    const legs: SweepLeg[] = [];
    for (const follower of followers) {
      const account = ctx.account(follower.accountId);
      const position = positionOf(ctx, account, market.marketIndex);
      const size = position.sizeLots;
      if (size === 0 || (size > 0) !== (before > 0)) continue;
      const absSize = size < 0 ? -size : size;
      // Keep the follower's share of what the lead keeps: a full close closes the copy.
      const keep = after === 0 || flip ? 0 : Number((BigInt(absSize) * BigInt(absAfter)) / BigInt(absBefore));
      if (absSize > keep) legs.push({ follower, account, position, lots: absSize - keep });
    }
    sweepForFollowers(ctx, market, before > 0 ? SELL : BUY, legs, false, undefined, work.causeTradeId, atMs);
  }
  if (after !== 0 && (before === 0 || flip || absAfter > absBefore)) {
    const side = after > 0 ? BUY : SELL;
    const base = flip ? 0 : absBefore;
    const legs: SweepLeg[] = [];
    for (const follower of followers) {
      const account = ctx.account(follower.accountId);
      const position = positionOf(ctx, account, market.marketIndex);
      prepareLeverage(ctx, follower, account, market, leadPosition.leverage);
      const lots = openingLots(follower, market, position.leverage, absAfter, base);
      if (lots === 0) recordSkip(ctx, { follower, account }, market, side, 0, 'ROUNDED_TO_ZERO', work.causeTradeId);
      else legs.push({ follower, account, position, lots });
    }
    sweepForFollowers(ctx, market, side, legs, true, { lots: work.leadLots, notionalE8: work.leadNotionalE8 }, work.causeTradeId,
      atMs);
  }
  for (const follower of followers) checkStopLoss(ctx, follower, atMs);
}

function openingLots(follower: Follower, market: Market, leverage: number, absAfter: number, base: number): number {
  if (follower.mode === 'FIXED_RATIO') {
    return scaledLots(absAfter, follower.amountE8, follower.ratioDenE8) - scaledLots(base, follower.amountE8, follower.ratioDenE8);
  }
  const perLot = BigInt(market.markTicks) * market.instrument.quotePerTickLotE8;
  return lotsForMargin(follower.amountE8, leverage, perLot);
}

/**
 * A flat follower position takes the follower's leverage (fixed, or the lead's), within its
 * policy cap and the first bracket; an open one keeps what it has.
 */
function prepareLeverage(ctx: EngineContext, follower: Follower, account: Account, market: Market, leadLeverage: number): void {
  const position = positionOf(ctx, account, market.marketIndex);
  if (position.sizeLots !== 0 || position.openOrderCount > 0 || position.algoOrderCount > 0) return;
  let leverage = follower.leverage > 0 ? follower.leverage : leadLeverage;
  const cap = effectiveLeverageCap(ctx, account);
  if (cap > 0 && leverage > cap) leverage = cap;
  if (leverage > market.instrument.maxLeverage) leverage = market.instrument.maxLeverage;
  if (leverage === position.leverage) return;
  position.leverage = leverage;
  ctx.log.leverageChanged(account.accountId, market.marketIndex, leverage, maxNotionalForLeverage(market.instrument, leverage));
}

function copyExistingPositions(ctx: EngineContext, follower: Follower, account: Account, atMs: number): void {
  const lead = ctx.account(follower.leadAccountId);
  for (const leadPosition of lead.positions.values()) {
    const size = leadPosition.sizeLots;
    if (size === 0) continue;
    const market = ctx.markets[leadPosition.market]!;
    prepareLeverage(ctx, follower, account, market, leadPosition.leverage);
    const position = positionOf(ctx, account, market.marketIndex);
    const lots = openingLots(follower, market, position.leverage, size < 0 ? -size : size, 0);
    const side = size > 0 ? BUY : SELL;
    if (lots === 0) recordSkip(ctx, { follower, account }, market, side, 0, 'ROUNDED_TO_ZERO', 0);
    else sweepForFollowers(ctx, market, side, [{ follower, account, position, lots }], true, undefined, 0, atMs);
  }
}

/** Portfolio stop-loss: once the loss reaches stopLossBps of the investment, the follower stops. */
function checkStopLoss(ctx: EngineContext, follower: Follower, atMs: number): void {
  if (follower.stopLossBps === 0 || !ctx.copy.followers.has(follower.accountId)) return;
  const loss = -followerTotalPnlE8(ctx, follower);
  if (loss * 10_000n >= follower.investedE8 * BigInt(follower.stopLossBps)) stopFollowing(ctx, follower, 'STOP_LOSS', atMs);
}

// ---- Profit share ---------------------------------------------------------------------------

interface ProfitShareNow {
  readonly totalPnlE8: bigint;
  /** What settling now pays (0 unless the outcome is PAID). */
  readonly payE8: bigint;
  readonly outcome: ProfitShareOutcomeName;
}

/** Binance's settlement rules applied now: what is due, and whether a skip rule holds it back. */
function profitShareNow(ctx: EngineContext, follower: Follower): ProfitShareNow {
  const portfolio = ctx.copy.portfolios.get(follower.leadAccountId)!;
  const totalPnlE8 = followerTotalPnlE8(ctx, follower);
  const due = profitToSettleE8(totalPnlE8, portfolio.profitShareBps, follower.sharedE8);
  const outcome: ProfitShareOutcomeName = due === 0n ? 'NOTHING_DUE'
    : unrealizedE8(ctx, ctx.account(portfolio.accountId)) <= COPY_LIMITS.leadLossSkipE8 ? 'LEAD_LOSS_LIMIT'
      : withdrawableE8(ctx, ctx.account(follower.accountId)) < due ? 'INSUFFICIENT_BALANCE' : 'PAID';
  return { totalPnlE8, payE8: outcome === 'PAID' ? due : 0n, outcome };
}

/** Settles one follower; `always` records a settlement that paid nothing (final ones). */
function settleProfitShare(ctx: EngineContext, follower: Follower, always: boolean): void {
  const now = profitShareNow(ctx, follower);
  if (now.outcome === 'NOTHING_DUE' && !always) return;
  const lead = ctx.account(follower.leadAccountId);
  const payee = ctx.findAccount(lead.parentAccountId) ?? lead;
  if (now.payE8 > 0n) {
    follower.sharedE8 += now.payE8;
    ctx.changeCrossWallet(ctx.account(follower.accountId), -now.payE8, 'PROFIT_SHARE', '', lead.accountId);
    ctx.changeCrossWallet(payee, now.payE8, 'PROFIT_SHARE', '', follower.accountId);
  }
  ctx.log.profitShareSettled(follower.accountId, lead.accountId, payee.accountId, now.totalPnlE8, now.payE8, follower.sharedE8,
    now.outcome);
}

/**
 * Money leaving a follower's copy account settles its profit share first (Binance: on a profit
 * withdrawal). Returns why the outflow cannot go (then nothing changed), or undefined after settling.
 */
export function settleBeforeOutflow(ctx: EngineContext, account: Account, amountE8: bigint): RejectReason | undefined {
  const follower = account.copyFollower;
  const payable = follower === undefined ? 0n : profitShareNow(ctx, follower).payE8;
  if (withdrawableE8(ctx, account) - payable < amountE8) return REJECT.BALANCE_INSUFFICIENT;
  if (follower !== undefined && payable > 0n) settleProfitShare(ctx, follower, false);
  return undefined;
}

/** The weekly timer: every follower of every portfolio, in id order; then next Monday's. */
export function weeklySettlement(ctx: EngineContext, timer: Timer): void {
  ctx.copy.settlementAtMs = 0;
  const leads = [...ctx.copy.portfolios.keys()].sort((a, b) => a - b);
  for (const leadId of leads) {
    for (const id of ctx.copy.portfolios.get(leadId)!.followerIds) settleProfitShare(ctx, ctx.copy.followers.get(id)!, false);
  }
  if (leads.length === 0) return;
  const atMs = nextSettlementMs(timer.atMs);
  // A full timer table skips the re-arm; the next OpenLeadPortfolio sets it again.
  if (addTimer(ctx, { atMs, kind: 'COPY_SETTLEMENT', accountId: 0, key: '' })) ctx.copy.settlementAtMs = atMs;
}

/** A copy account places only closing orders of its own; copying opens its positions. */
export function admitCopyAccountOrder(account: Account, reducing: boolean): RejectReason | undefined {
  return account.copyFollower !== undefined && !reducing ? REJECT.COPY_ACCOUNT_ORDERS : undefined;
}

// ---- Views ----------------------------------------------------------------------------------

export interface LeadPortfolioView {
  readonly accountId: number;
  readonly parentAccountId: number;
  readonly profitShareBps: number;
  readonly copyCapE8: bigint;
  readonly minCopyE8: bigint;
  readonly maxFollowers: number;
  /** Follower slots now (the setting within Bitget's table for the equity). */
  readonly slots: number;
  readonly followers: number;
  readonly equityE8: bigint;
  /** Assets under management: Σ followers' equity. */
  readonly followersEquityE8: bigint;
  /** Σ followers' Total PnL. */
  readonly followersPnlE8: bigint;
}

export interface FollowerView {
  readonly accountId: number;
  readonly leadAccountId: number;
  readonly mode: Follower['mode'];
  readonly amountE8: bigint;
  readonly leverage: number;
  readonly slippageBps: number;
  readonly stopLossBps: number;
  readonly investedE8: bigint;
  readonly sharedE8: bigint;
  readonly equityE8: bigint;
  readonly totalPnlE8: bigint;
}

export function followerView(ctx: EngineContext, follower: Follower): FollowerView {
  return {
    accountId: follower.accountId, leadAccountId: follower.leadAccountId, mode: follower.mode, amountE8: follower.amountE8,
    leverage: follower.leverage, slippageBps: follower.slippageBps, stopLossBps: follower.stopLossBps,
    investedE8: follower.investedE8, sharedE8: follower.sharedE8, equityE8: equityE8(ctx, ctx.account(follower.accountId)),
    totalPnlE8: followerTotalPnlE8(ctx, follower),
  };
}

export function portfolioView(ctx: EngineContext, portfolio: LeadPortfolio): LeadPortfolioView {
  let followersEquityE8 = 0n;
  let followersPnlE8 = 0n;
  for (const id of portfolio.followerIds) {
    const follower = ctx.copy.followers.get(id)!;
    followersEquityE8 += equityE8(ctx, ctx.account(id));
    followersPnlE8 += followerTotalPnlE8(ctx, follower);
  }
  const account = ctx.account(portfolio.accountId);
  return {
    accountId: portfolio.accountId, parentAccountId: account.parentAccountId, profitShareBps: portfolio.profitShareBps,
    copyCapE8: portfolio.copyCapE8, minCopyE8: portfolio.minCopyE8, maxFollowers: portfolio.maxFollowers,
    slots: followerSlots(ctx, portfolio), followers: portfolio.followerIds.length, equityE8: equityE8(ctx, account),
    followersEquityE8, followersPnlE8,
  };
}
