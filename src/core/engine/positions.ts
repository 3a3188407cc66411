/**
 * @module engine/positions
 * Position accounting for one fill (one-way mode). Entry notional is kept as a signed cost so the
 * entry price is exact (cost / size) and Binance's rules fall out: an increase adds its notional
 * (weighted-average entry); a reduce removes cost pro rata (entry unchanged) and realizes
 * PnL = exit notional − removed cost. The removed cost rounds up (divCeil of the signed cost), so
 * realized PnL is never overstated; the last close removes exactly what is left.
 * Isolated positions move initial margin from the cross wallet on increases, take realized PnL
 * into the isolated wallet, and on reductions release the closed lots' share of the wallet with it.
 */
import { noteLeadFill } from './copy-state.js';
import { assert } from '../assert.js';
import { divCeil, divFloor } from '../num/int.js';
import type { EngineContext } from './context.js';
import { orderMarginOf } from './margin.js';
import type { BalanceReason } from './events.js';
import { startingLeverage } from './policy.js';
import type { Account, Market, Position } from './state.js';
import { Position as PositionRecord } from './state.js';

/** The account's position record in `market`, created with the symbol's defaults on first use. */
export function positionOf(ctx: EngineContext, account: Account, market: number): Position {
  let position = account.positions.get(market);
  if (position === undefined) {
    position = new PositionRecord(account.accountId, market, startingLeverage(ctx, account, ctx.instrumentOf(market).defaultLeverage), false);
    account.positions.set(market, position);
  }
  return position;
}

/**
 * The account's position record, or a detached default one when it has none yet. Checks use it
 * so that a rejected command leaves no new record behind; commits use positionOf.
 */
export function peekPosition(ctx: EngineContext, account: Account, market: number): Position {
  return account.positions.get(market) ??
    new PositionRecord(account.accountId, market, startingLeverage(ctx, account, ctx.instrumentOf(market).defaultLeverage), false);
}

/**
 * Applies a fill of `signedLots` (buy > 0) at `priceTicks` to the account's position. `feeE8` is
 * charged to the cross wallet into the fee pool (liquidation fees are booked by the liquidation
 * module instead). Emits BalanceChanged and PositionChanged. Returns the fill's realized PnL.
 */
export function applyFill(
  ctx: EngineContext, account: Account, market: Market, signedLots: number, priceTicks: number,
  feeE8: bigint, refId: number, atMs: number, pnlReason: BalanceReason,
): bigint {
  assert(signedLots !== 0 && Number.isSafeInteger(signedLots), 'fill quantity is a non-zero integer');
  const absLots = signedLots < 0 ? -signedLots : signedLots;
  const notional = BigInt(absLots) * BigInt(priceTicks) * market.instrument.quotePerTickLotE8;
  return applyFillAtNotional(ctx, account, market, signedLots, notional, feeE8, refId, atMs, pnlReason);
}

/**
 * A fill of `signedLots` for `fillNotionalE8` (> 0) in all: a book fill (lots × price), or a
 * follower's pro-rata share of a copy sweep, whose average price need not be a whole tick. A fill
 * that closes and opens (a flip) splits the notional by lots, rounding the closing part down.
 */
export function applyFillAtNotional(
  ctx: EngineContext, account: Account, market: Market, signedLots: number, fillNotionalE8: bigint,
  feeE8: bigint, refId: number, atMs: number, pnlReason: BalanceReason,
): bigint {
  assert(signedLots !== 0 && Number.isSafeInteger(signedLots), 'fill quantity is a non-zero integer');
  assert(fillNotionalE8 > 0n, 'a fill has a positive notional');
  const instrument = market.instrument;
  const position = positionOf(ctx, account, market.marketIndex);
  const before = position.sizeLots;
  const absFill = signedLots < 0 ? -signedLots : signedLots;
  const lead = account.copyLead;
  if (lead !== undefined && lead.followerIds.length > 0) {
    noteLeadFill(ctx.copy.pending, lead, market.marketIndex, before, signedLots, fillNotionalE8, refId);
  }
  let openNotionalAbs = fillNotionalE8;
  let realized = 0n;
  let opening = signedLots;
  if (before !== 0 && (before > 0) !== (signedLots > 0)) {
    const absBefore = before < 0 ? -before : before;
    const walletBefore = position.isolatedWalletE8;
    const closed = absFill < absBefore ? absFill : absBefore;
    // A full close removes exactly the cost left (the division below would give the same).
    const removedCost = closed === absBefore ? position.costE8 : divCeil(position.costE8 * BigInt(closed), BigInt(absBefore));
    // Exact for a book fill (lots × price divides by lots); only a flip divides at all.
    const exitNotional = closed === absFill ? fillNotionalE8 : fillNotionalE8 * BigInt(closed) / BigInt(absFill);
    openNotionalAbs = fillNotionalE8 - exitNotional;
    realized = (before > 0 ? exitNotional : -exitNotional) - removedCost;
    position.costE8 -= removedCost;
    position.sizeLots = before > 0 ? before - closed : before + closed;
    opening = signedLots > 0 ? signedLots - closed : signedLots + closed;
    position.realizedPnlE8 += realized;
    ctx.changePositionWallet(account, position, realized, pnlReason, refId);
    if (position.isolated && !position.liquidating) {
      releaseOnReduce(ctx, account, position, walletBefore, closed, absBefore, realized, refId);
    }
  }
  if (opening !== 0) {
    const openNotional = opening > 0 ? openNotionalAbs : -openNotionalAbs;
    position.costE8 += openNotional;
    position.sizeLots += opening;
    if (position.isolated) fundIsolatedOpening(ctx, account, market, position, opening, openNotional, feeE8, refId);
  }
  if (position.sizeLots === 0) assert(position.costE8 === 0n, 'a flat position has no cost left');
  if (feeE8 > 0n) {
    ctx.changeCrossWallet(account, -feeE8, 'TRADE_FEE', instrument.symbol, refId);
    ctx.feePoolE8 += feeE8;
  }
  position.updatedAtMs = atMs;
  // Order margin counts only the opening part of each side, which depends on the position.
  position.orderMarginE8 = orderMarginOf(position);
  onSizeChanged(ctx, account, market, position, before);
  emitPosition(ctx, position);
  ctx.touch(account);
  return realized;
}

/**
 * An isolated position's opening lots bring their initial margin (at the fill price, rounded up)
 * and their open loss (how far the fill is worse than the mark: §1.2, the same cost the margin
 * check charged) from the cross wallet. Without the open loss, a position opened above the mark
 * would start under its maintenance margin and be liquidated at an unchanged mark, with the
 * insurance fund paying what the seller gained. The open loss never takes the cross wallet below
 * zero: a resting order whose open loss grew after the check brings what the wallet holds once the
 * fill's fee is paid (without that reserve the fee charged next left a wallet with no cross
 * position negative, which an empty insurance fund could not clear: differential seed 1361718744).
 */
function fundIsolatedOpening(
  ctx: EngineContext, account: Account, market: Market, position: Position, openingLots: number, openNotionalE8: bigint,
  feeE8: bigint, refId: number,
): void {
  const absNotional = openNotionalE8 < 0n ? -openNotionalE8 : openNotionalE8;
  const initialMargin = divCeil(absNotional, BigInt(position.leverage));
  // Signed notionals (a short's are negative): the difference is the loss at mark for either side.
  const markNotional = BigInt(openingLots) * BigInt(market.markTicks) * market.instrument.quotePerTickLotE8;
  const openLoss = openNotionalE8 > markNotional ? openNotionalE8 - markNotional : 0n;
  // The fill's fee is charged to the cross wallet right after: the open loss leaves room for it.
  const spare = account.crossWalletE8 - initialMargin - (feeE8 > 0n ? feeE8 : 0n);
  const loss = openLoss < spare ? openLoss : spare > 0n ? spare : 0n;
  const amount = initialMargin + loss;
  ctx.changeCrossWallet(account, -amount, 'ISOLATED_MARGIN', market.instrument.symbol, refId);
  ctx.changeIsolatedWallet(account, position, amount, 'ISOLATED_MARGIN', refId);
}

/**
 * Isolated margin released by a reduce (Binance's rule, docs/MECHANICS.md §"Isolated margin on a
 * reduce"): the closed lots' share of the wallet as it was before the fill, together with the fill's
 * realized PnL, goes back to the cross wallet; the remaining lots keep their share, so their margin
 * per lot is unchanged and a reduce never makes the rest of the position weaker. The share rounds
 * down (the position keeps the unit). A share that the realized loss exceeds (a close beyond the
 * closed lots' own bankruptcy price) releases nothing: the loss stays isolated.
 */
function releaseOnReduce(
  ctx: EngineContext, account: Account, position: Position, walletBeforeE8: bigint, closedLots: number,
  absBefore: number, realizedE8: bigint, refId: number,
): void {
  if (position.sizeLots === 0) {
    releaseIsolatedRemainder(ctx, account, position, refId);
    return;
  }
  const release = divFloor(walletBeforeE8 * BigInt(closedLots), BigInt(absBefore)) + realizedE8;
  if (release <= 0n) return;
  moveIsolatedToCross(ctx, account, position, release, refId);
}

/**
 * Returns a flat isolated position's wallet to the cross wallet. A negative wallet (a close beyond
 * the isolated bankruptcy price: only an ADL counterparty that was itself past bankruptcy can get
 * here) is the insurance fund's to cover as far as it reaches, because the position is bankrupt;
 * any rest falls to the cross wallet so that money is conserved.
 */
export function releaseIsolatedRemainder(ctx: EngineContext, account: Account, position: Position, refId: number): void {
  assert(position.sizeLots === 0, 'only a flat isolated position releases its whole wallet');
  let release = position.isolatedWalletE8;
  if (release < 0n) {
    const covered = ctx.insuranceFundE8 < -release ? ctx.insuranceFundE8 : -release;
    if (covered > 0n) {
      const symbol = ctx.instrumentOf(position.market).symbol;
      ctx.changeInsurance(-covered, 'DEFICIT', symbol, account.accountId);
      ctx.changeIsolatedWallet(account, position, covered, 'INSURANCE_CLEAR', refId);
      release += covered;
    }
  }
  if (release === 0n) return;
  moveIsolatedToCross(ctx, account, position, release, refId);
}

function moveIsolatedToCross(ctx: EngineContext, account: Account, position: Position, amountE8: bigint, refId: number): void {
  ctx.changeIsolatedWallet(account, position, -amountE8, 'ISOLATED_MARGIN', refId);
  ctx.changeCrossWallet(account, amountE8, 'ISOLATED_MARGIN', ctx.instrumentOf(position.market).symbol, refId);
}

/** Keeps open interest, the open-position map and the cross-position count in step. */
function onSizeChanged(ctx: EngineContext, account: Account, market: Market, position: Position, before: number): void {
  const after = position.sizeLots;
  if (before === after) return;
  if (before > 0) market.longOpenInterestLots -= before;
  else if (before < 0) market.shortOpenInterestLots += before;
  if (after > 0) market.longOpenInterestLots += after;
  else if (after < 0) market.shortOpenInterestLots -= after;
  if (before === 0) {
    market.openPositions.add(position);
    if (!position.isolated) addCrossPosition(account);
  } else if (after === 0) {
    market.openPositions.remove(position);
    market.liquidations.remove(position);
    if (!position.isolated) removeCrossPosition(account);
  }
}

function addCrossPosition(account: Account): void {
  account.crossPositionCount++;
}

function removeCrossPosition(account: Account): void {
  account.crossPositionCount--;
  assert(account.crossPositionCount >= 0, 'cross position count');
}

export function emitPosition(ctx: EngineContext, position: Position): void {
  ctx.log.positionChanged(position.accountId, position.market, position.sizeLots, position.costE8,
    position.isolated ? 'ISOLATED' : 'CROSSED',
    position.isolatedWalletE8, position.leverage, position.realizedPnlE8);
}
