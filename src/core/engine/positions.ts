/**
 * @module engine/positions
 * Position accounting for one fill (one-way mode). Entry notional is kept as a signed cost so the
 * entry price is exact (cost / size) and Binance's rules fall out: an increase adds its notional
 * (weighted-average entry); a reduce removes cost pro rata (entry unchanged) and realizes
 * PnL = exit notional − removed cost. The removed cost rounds up (divCeil of the signed cost), so
 * realized PnL is never overstated; the last close removes exactly what is left.
 * Isolated positions move initial margin from the cross wallet on increases, take realized PnL
 * into the isolated wallet, and release it pro rata on reductions.
 */
import { assert } from '../assert.js';
import { divCeil, divFloor } from '../num/int.js';
import type { EngineContext } from './context.js';
import { orderMarginOf } from './margin.js';
import type { BalanceReason } from './events.js';
import type { Account, Market, Position } from './state.js';
import { Position as PositionRecord } from './state.js';

/** The account's position record in `market`, created with the symbol's defaults on first use. */
export function positionOf(ctx: EngineContext, account: Account, market: number): Position {
  let position = account.positions.get(market);
  if (position === undefined) {
    position = new PositionRecord(account.accountId, market, ctx.instrumentOf(market).defaultLeverage, false);
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
    new PositionRecord(account.accountId, market, ctx.instrumentOf(market).defaultLeverage, false);
}

export interface FillAccounting {
  realizedPnlE8: bigint;
  closedLots: number;
}

const scratch: FillAccounting = { realizedPnlE8: 0n, closedLots: 0 };

/**
 * Applies a fill of `signedLots` (buy > 0) at `priceTicks` to the account's position. `feeE8` is
 * charged to the cross wallet into the fee pool (liquidation fees are booked by the liquidation
 * module instead). Emits BalanceChanged and PositionChanged. Returns a shared scratch result.
 */
export function applyFill(
  ctx: EngineContext, account: Account, market: Market, signedLots: number, priceTicks: number,
  feeE8: bigint, refId: number, atMs: number, pnlReason: BalanceReason,
): FillAccounting {
  assert(signedLots !== 0 && Number.isSafeInteger(signedLots), 'fill quantity is a non-zero integer');
  const instrument = market.instrument;
  const position = positionOf(ctx, account, market.marketIndex);
  const k = instrument.quotePerTickLotE8;
  const before = position.sizeLots;
  let realized = 0n;
  let closed = 0;
  let opening = signedLots;
  if (before !== 0 && (before > 0) !== (signedLots > 0)) {
    const absBefore = before < 0 ? -before : before;
    const absFill = signedLots < 0 ? -signedLots : signedLots;
    closed = absFill < absBefore ? absFill : absBefore;
    // A full close removes exactly the cost left (the division below would give the same).
    const removedCost = closed === absBefore ? position.costE8 : divCeil(position.costE8 * BigInt(closed), BigInt(absBefore));
    const exitNotional = BigInt(closed) * BigInt(priceTicks) * k;
    realized = (before > 0 ? exitNotional : -exitNotional) - removedCost;
    position.costE8 -= removedCost;
    position.sizeLots = before > 0 ? before - closed : before + closed;
    opening = signedLots > 0 ? signedLots - closed : signedLots + closed;
    position.realizedPnlE8 += realized;
    ctx.changePositionWallet(account, position, realized, pnlReason, refId);
    if (position.isolated && !position.liquidating) releaseIsolatedMargin(ctx, account, position, closed, absBefore, refId);
  }
  if (opening !== 0) {
    const openNotional = BigInt(opening) * BigInt(priceTicks) * k;
    position.costE8 += openNotional;
    position.sizeLots += opening;
    if (position.isolated) {
      const absNotional = openNotional < 0n ? -openNotional : openNotional;
      const initialMargin = divCeil(absNotional, BigInt(position.leverage));
      ctx.changeCrossWallet(account, -initialMargin, 'ISOLATED_MARGIN', instrument.symbol, refId);
      ctx.changeIsolatedWallet(account, position, initialMargin, 'ISOLATED_MARGIN', refId);
    }
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
  scratch.realizedPnlE8 = realized;
  scratch.closedLots = closed;
  return scratch;
}

/** Releases isolated margin pro rata to the closed part; everything when the position is flat. */
export function releaseIsolatedMargin(
  ctx: EngineContext, account: Account, position: Position, closedLots: number, absBefore: number, refId: number,
): void {
  const wallet = position.isolatedWalletE8;
  let release: bigint;
  if (position.sizeLots === 0) {
    release = wallet;
  } else {
    release = wallet > 0n ? divFloor(wallet * BigInt(closedLots), BigInt(absBefore)) : 0n;
  }
  if (release === 0n) return;
  if (release < 0n) {
    // A close beyond the isolated bankruptcy price: the insurance fund covers what it can so the
    // loss stays isolated; any rest falls to the cross wallet.
    const covered = ctx.insuranceFundE8 < -release ? ctx.insuranceFundE8 : -release;
    if (covered > 0n) {
      const symbol = ctx.instrumentOf(position.market).symbol;
      ctx.changeInsurance(-covered, 'DEFICIT', symbol, account.accountId);
      ctx.changeIsolatedWallet(account, position, covered, 'INSURANCE_CLEAR', refId);
      release += covered;
    }
    if (release === 0n) return;
  }
  ctx.changeIsolatedWallet(account, position, -release, 'ISOLATED_MARGIN', refId);
  ctx.changeCrossWallet(account, release, 'ISOLATED_MARGIN', ctx.instrumentOf(position.market).symbol, refId);
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
  ctx.log.positionChanged(position.accountId, position.market, position.sizeLots, position.costE8, position.isolated,
    position.isolatedWalletE8, position.leverage, position.realizedPnlE8);
}
