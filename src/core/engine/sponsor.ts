/**
 * @module engine/sponsor
 * Sponsored accounts (docs/MECHANICS.md "Sponsored accounts"):
 * - a sponsor (a top-level account) funds one of its own empty sub-accounts for a trader (another
 *   top-level account) with a profit split and prop-firm loss limits: daily (from the UTC day's
 *   starting equity), static (from the initial balance), trailing (from the equity's high-water mark);
 * - the limits are watched at mark like a liquidation: the risk pass checks every touched sponsored
 *   account, and a mark move touches the sponsored accounts holding that symbol, so only sponsored
 *   accounts are ever checked; the high-water mark rises at those same checks;
 * - a breach (or the sponsor's EndSponsorship) makes the account REDUCE_ONLY, cancels its orders and
 *   closes its positions at market by engine-made CLOSE_OUT orders, capped at bankruptcy like a
 *   trader's own close (no liquidation fee); once flat, the trader is paid its share of the profit
 *   above the initial balance and the rest goes back to the sponsor. What the book cannot close now
 *   is retried at the account's next check and is the liquidation engine's if it reaches maintenance.
 */
import { BUY, SELL, STP_NONE, TIF_IOC } from '../book/types.js';
import type { SponsorEndReasonName, SponsorLimitName } from '../schema/enums.js';
import { withdrawableE8 } from './account-commands.js';
import type { EndSponsorshipCommand, SponsorAccountCommand } from './commands.js';
import type { EngineContext } from './context.js';
import { equityE8 } from './copy.js';
import { makeEngineOrder } from './engine-orders.js';
import { executeTaker } from './execution.js';
import { capAtBankruptcy, marketProtectionLimit } from './order-checks.js';
import { endLiveOrder } from './order-lifecycle.js';
import { admit, emitPolicy } from './policy.js';
import { REJECT, type RejectReason } from './reject-codes.js';
import {
  BPS_ONE, Sponsorship, limitFigures, linkSponsorship, nextDayStartMs, traderShareE8, unlinkSponsorship, type LimitFigures,
} from './sponsor-state.js';
import type { Account, Market, Position } from './state.js';
import { addTimer, type Timer } from './timers.js';

/** The policy source of a standing the close-out set (settlement lifts only this one). */
export const SPONSOR_CLOSE_OUT_SOURCE = 'sponsored account close-out';

const END_REASON: Readonly<Record<SponsorLimitName, SponsorEndReasonName>> = {
  DAILY: 'DAILY_LOSS', STATIC: 'STATIC_LOSS', TRAILING: 'TRAILING_LOSS',
};

function validBps(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 0 && value <= BPS_ONE;
}

function isFlat(account: Account): boolean {
  for (const position of account.positions.values()) if (position.sizeLots !== 0) return false;
  return true;
}

function emitChanged(ctx: EngineContext, sponsorship: Sponsorship, equity: bigint): void {
  const s = sponsorship;
  ctx.log.sponsorshipChanged(s.accountId, s.sponsorAccountId, s.traderAccountId, s.status, s.reason, s.initialE8, s.traderShareBps,
    s.dailyLossBps, s.staticLossBps, s.trailingLossBps, equity);
}

// ---- Commands -------------------------------------------------------------------------------

export function sponsorAccount(ctx: EngineContext, cmd: SponsorAccountCommand): void {
  const reason = trySponsorAccount(ctx, cmd);
  if (reason !== undefined) ctx.reject(cmd.type, reason, cmd.sponsorAccountId, '');
}

function trySponsorAccount(ctx: EngineContext, cmd: SponsorAccountCommand): RejectReason | undefined {
  const sponsor = ctx.findAccount(cmd.sponsorAccountId);
  const account = ctx.findAccount(cmd.accountId);
  const trader = ctx.findAccount(cmd.traderAccountId);
  if (sponsor === undefined || account === undefined || trader === undefined) return REJECT.ACCOUNT_NOT_FOUND;
  if (sponsor.parentAccountId !== 0 || account.parentAccountId !== sponsor.accountId || trader.parentAccountId !== 0 ||
    trader === sponsor) {
    return REJECT.SPONSOR_NOT_SUB_ACCOUNT;
  }
  if (!validBps(cmd.traderShareBps) || !validBps(cmd.dailyLossBps) || !validBps(cmd.staticLossBps) ||
    !validBps(cmd.trailingLossBps)) {
    return REJECT.SPONSOR_INVALID_SETTINGS;
  }
  if (typeof cmd.amountE8 !== 'bigint' || cmd.amountE8 <= 0n) return REJECT.AMOUNT_NOT_POSITIVE;
  if (account.sponsorship !== undefined || account.copyLead !== undefined || account.copyFollower !== undefined ||
    account.crossWalletE8 !== 0n || account.orders.size > 0 || !isFlat(account)) {
    return REJECT.SPONSOR_ACCOUNT_BUSY;
  }
  if (ctx.sponsor.sponsorships.size >= ctx.limits.maxSponsoredAccounts) return REJECT.SPONSOR_LIMIT;
  const gate = admit(ctx, account, 'TRANSFER_IN');
  if (gate !== undefined) return gate;
  if (withdrawableE8(ctx, sponsor) < cmd.amountE8) return REJECT.BALANCE_INSUFFICIENT;
  if (ctx.sponsor.dayStartAtMs === 0) {
    const atMs = nextDayStartMs(cmd.atMs);
    if (!addTimer(ctx, { atMs, kind: 'SPONSOR_DAY_START', accountId: 0, key: '' })) return REJECT.TIMER_LIMIT;
    ctx.sponsor.dayStartAtMs = atMs;
  }
  ctx.changeCrossWallet(sponsor, -cmd.amountE8, 'TRANSFER', '', account.accountId);
  ctx.changeCrossWallet(account, cmd.amountE8, 'TRANSFER', '', sponsor.accountId);
  const sponsorship = new Sponsorship(account.accountId, sponsor.accountId, trader.accountId, cmd.amountE8, cmd.traderShareBps,
    cmd.dailyLossBps, cmd.staticLossBps, cmd.trailingLossBps);
  linkSponsorship(ctx.sponsor, account, sponsorship);
  emitChanged(ctx, sponsorship, cmd.amountE8);
  return undefined;
}

export function endSponsorship(ctx: EngineContext, cmd: EndSponsorshipCommand): void {
  const sponsorship = ctx.sponsor.sponsorships.get(cmd.accountId);
  if (sponsorship === undefined || sponsorship.sponsorAccountId !== cmd.sponsorAccountId || sponsorship.status !== 'ACTIVE') {
    return ctx.reject(cmd.type, REJECT.SPONSOR_NOT_SPONSORED, cmd.sponsorAccountId, '');
  }
  const account = ctx.account(cmd.accountId);
  startClosing(ctx, account, sponsorship, 'ENDED_BY_SPONSOR', equityE8(ctx, account), cmd.atMs);
}

// ---- Watching at mark -----------------------------------------------------------------------

/**
 * A mark sample: the sponsored accounts holding the symbol are touched (when the mark moved; else
 * only those still closing out), so the risk pass that follows the clock instant checks their
 * limits (settle.ts). The walk is over the bounded list.
 */
export function touchSponsoredHolders(ctx: EngineContext, market: Market, markMoved: boolean): void {
  for (const id of ctx.sponsor.accountIds) {
    const account = ctx.account(id);
    const position = account.positions.get(market.marketIndex);
    if (position === undefined || position.sizeLots === 0) continue;
    if (markMoved || account.sponsorship!.status === 'CLOSING') ctx.touch(account);
  }
}

/**
 * The risk pass's check of a touched sponsored account: the high-water mark rises to the equity,
 * then each active limit (DAILY, STATIC, TRAILING) is compared; the first one reached starts the
 * close-out. A closing account retries what is left and settles once flat.
 */
export function checkSponsorship(ctx: EngineContext, account: Account, atMs: number): void {
  const sponsorship = account.sponsorship!;
  if (sponsorship.status === 'CLOSING') return continueClosing(ctx, account, sponsorship, atMs);
  const equity = equityE8(ctx, account);
  if (equity > sponsorship.highWaterE8) sponsorship.highWaterE8 = equity;
  const breached = limitFigures(sponsorship).find((figures) => equity <= figures.thresholdE8);
  if (breached === undefined) return;
  ctx.log.sponsorLimitBreached(account.accountId, breached.limit, equity, breached.thresholdE8, breached.baseE8);
  startClosing(ctx, account, sponsorship, END_REASON[breached.limit], equity, atMs);
}

/** Timer SPONSOR_DAY_START (00:00 UTC): every active sponsorship's day starts from its equity now. */
export function sponsorDayStart(ctx: EngineContext, timer: Timer): void {
  const book = ctx.sponsor;
  book.dayStartAtMs = 0;
  for (const id of book.accountIds) {
    const sponsorship = book.sponsorships.get(id)!;
    if (sponsorship.status !== 'ACTIVE') continue;
    const equity = equityE8(ctx, ctx.account(id));
    if (equity > sponsorship.highWaterE8) sponsorship.highWaterE8 = equity;
    sponsorship.dayStartE8 = equity;
    ctx.log.sponsorDayStarted(id, equity, sponsorship.highWaterE8);
  }
  if (book.accountIds.length === 0) return;
  const atMs = nextDayStartMs(timer.atMs);
  // A full timer table skips the re-arm; the next SponsorAccount sets it again.
  if (addTimer(ctx, { atMs, kind: 'SPONSOR_DAY_START', accountId: 0, key: '' })) book.dayStartAtMs = atMs;
}

// ---- Close-out and settlement ---------------------------------------------------------------

function startClosing(
  ctx: EngineContext, account: Account, sponsorship: Sponsorship, reason: SponsorEndReasonName, equity: bigint, atMs: number,
): void {
  sponsorship.status = 'CLOSING';
  sponsorship.reason = reason;
  ctx.sponsor.closingCount++;
  emitChanged(ctx, sponsorship, equity);
  const policy = account.policy;
  policy.status = 'REDUCE_ONLY';
  policy.source = SPONSOR_CLOSE_OUT_SOURCE;
  emitPolicy(ctx, account);
  for (const order of account.orders.values()) endLiveOrder(ctx, order, 'CANCELED', 'CANCELED', 'POLICY', atMs);
  continueClosing(ctx, account, sponsorship, atMs);
}

function continueClosing(ctx: EngineContext, account: Account, sponsorship: Sponsorship, atMs: number): void {
  for (const position of account.positions.values()) {
    if (position.sizeLots !== 0) closeAtMarket(ctx, account, position, atMs);
  }
  if (isFlat(account)) settleSponsorship(ctx, account, sponsorship, atMs);
}

/**
 * One engine-made IOC order for the whole position, at the market-order protection price capped at
 * bankruptcy (the trader's own close would be capped the same way). Nothing is sent when the book
 * has nothing within the limit, or no price closes without a deficit (then the position is the
 * liquidation engine's).
 */
function closeAtMarket(ctx: EngineContext, account: Account, position: Position, atMs: number): void {
  const market = ctx.markets[position.market]!;
  const side = position.sizeLots > 0 ? SELL : BUY;
  const lots = position.sizeLots > 0 ? position.sizeLots : -position.sizeLots;
  const limitTicks = capAtBankruptcy(ctx, account, market, position, side, marketProtectionLimit(market, side));
  if (limitTicks === undefined) return;
  ctx.matchingMarket = market.marketIndex;
  const fillable = market.book.previewFill(account.accountId, side, limitTicks, lots, STP_NONE);
  ctx.matchingMarket = -1;
  if (fillable === 0) return;
  const order = makeEngineOrder(ctx, {
    accountId: account.accountId, market: market.marketIndex, side, qtyLots: lots, limitTicks, reduceOnly: true,
    origin: 'CLOSE_OUT', causeId: account.accountId, atMs,
  });
  executeTaker(ctx, market, order, {
    limitTicks, qtyLots: lots, tif: TIF_IOC, stp: STP_NONE, liquidation: false, remainderReason: 'IOC',
  }, atMs);
}

/** Flat: the trader's share of the profit above the initial balance, the rest to the sponsor; the standing lifts. */
function settleSponsorship(ctx: EngineContext, account: Account, sponsorship: Sponsorship, atMs: number): void {
  for (const order of account.orders.values()) endLiveOrder(ctx, order, 'CANCELED', 'CANCELED', 'POLICY', atMs);
  const balance = account.crossWalletE8;
  const profit = balance > sponsorship.initialE8 ? balance - sponsorship.initialE8 : 0n;
  const toTrader = traderShareE8(profit, sponsorship.traderShareBps);
  const toSponsor = balance > toTrader ? balance - toTrader : 0n;
  const trader = ctx.account(sponsorship.traderAccountId);
  const sponsor = ctx.account(sponsorship.sponsorAccountId);
  ctx.changeCrossWallet(account, -toTrader, 'PROFIT_SHARE', '', trader.accountId);
  ctx.changeCrossWallet(trader, toTrader, 'PROFIT_SHARE', '', account.accountId);
  ctx.changeCrossWallet(account, -toSponsor, 'TRANSFER', '', sponsor.accountId);
  ctx.changeCrossWallet(sponsor, toSponsor, 'TRANSFER', '', account.accountId);
  unlinkSponsorship(ctx.sponsor, account);
  sponsorship.status = 'SETTLED';
  ctx.log.sponsorshipSettled(account.accountId, sponsor.accountId, trader.accountId, balance, profit, toTrader, toSponsor);
  emitChanged(ctx, sponsorship, account.crossWalletE8);
  if (account.policy.status === 'REDUCE_ONLY' && account.policy.source === SPONSOR_CLOSE_OUT_SOURCE) {
    // Empty and flat: the sponsor may fund it again.
    account.policy.status = 'ACTIVE';
    account.policy.source = '';
    emitPolicy(ctx, account);
  }
}

// ---- Views ----------------------------------------------------------------------------------

export interface SponsorshipView {
  readonly accountId: number;
  readonly sponsorAccountId: number;
  readonly traderAccountId: number;
  readonly status: Sponsorship['status'];
  readonly reason: Sponsorship['reason'];
  readonly initialE8: bigint;
  readonly traderShareBps: number;
  readonly dailyLossBps: number;
  readonly staticLossBps: number;
  readonly trailingLossBps: number;
  readonly dayStartE8: bigint;
  readonly highWaterE8: bigint;
  readonly equityE8: bigint;
  /** Each active limit's base and the equity at or below which it is breached. */
  readonly limits: readonly LimitFigures[];
}

export function sponsorshipView(ctx: EngineContext, sponsorship: Sponsorship): SponsorshipView {
  const s = sponsorship;
  return {
    accountId: s.accountId, sponsorAccountId: s.sponsorAccountId, traderAccountId: s.traderAccountId, status: s.status,
    reason: s.reason, initialE8: s.initialE8, traderShareBps: s.traderShareBps, dailyLossBps: s.dailyLossBps,
    staticLossBps: s.staticLossBps, trailingLossBps: s.trailingLossBps, dayStartE8: s.dayStartE8, highWaterE8: s.highWaterE8,
    equityE8: equityE8(ctx, ctx.account(s.accountId)), limits: limitFigures(s),
  };
}
