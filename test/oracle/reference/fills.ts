/**
 * Position accounting of one fill (one-way mode, docs/MECHANICS.md "Margin"):
 * - an increase adds its notional to the signed cost (weighted-average entry); an isolated
 *   position takes its IM (notional / leverage, rounded up) and its open loss at mark (R9) from
 *   the cross wallet;
 * - a reduction removes cost pro rata (rounded up; the last close removes what is left) and
 *   realizes PnL = exit notional − removed cost into the wallet backing the position; an isolated
 *   reduce then releases margin to the cross wallet (R1);
 * - the trading fee is charged to the cross wallet, into the fee pool.
 */
import { divCeil, divFloor } from '../../../src/core/num/int.js';
import type { BalanceReason } from '../../../src/core/engine/events.js';
import { emitPosition, symbolOf } from './events.js';
import {
  changeCrossWallet, changeInsurance, changeIsolatedWallet, changePositionWallet, isolatedToCross, touch,
} from './ledger.js';
import { positionOf, type RefAccount, type RefMarket, type RefPosition, type RefState } from './state.js';

/** Applies a fill of `signedLots` (buy > 0) at `priceTicks`; returns the realized PnL. */
export function applyFill(
  state: RefState, account: RefAccount, market: RefMarket, signedLots: number, priceTicks: number, feeE8: bigint,
  refId: number, atMs: number, pnlReason: BalanceReason,
): bigint {
  const k = market.instrument.quotePerTickLotE8;
  const position = positionOf(state, account, market.index);
  const before = position.sizeLots;
  let opening = signedLots;
  let realized = 0n;
  if (before !== 0 && Math.sign(before) !== Math.sign(signedLots)) {
    const absBefore = Math.abs(before);
    const closed = Math.min(Math.abs(signedLots), absBefore);
    const walletBefore = position.isolatedWalletE8;
    const removedCost = closed === absBefore ? position.costE8 : divCeil(position.costE8 * BigInt(closed), BigInt(absBefore));
    const exitNotional = BigInt(closed) * BigInt(priceTicks) * k;
    realized = (before > 0 ? exitNotional : -exitNotional) - removedCost;
    position.costE8 -= removedCost;
    position.sizeLots = before > 0 ? before - closed : before + closed;
    opening = signedLots > 0 ? signedLots - closed : signedLots + closed;
    position.realizedPnlE8 += realized;
    changePositionWallet(state, account, position, realized, pnlReason, refId);
    if (position.isolated && !position.liquidating) {
      releaseOnReduce(state, account, position, walletBefore, closed, absBefore, realized, refId);
    }
  }
  if (opening !== 0) {
    const openNotional = BigInt(opening) * BigInt(priceTicks) * k;
    position.costE8 += openNotional;
    position.sizeLots += opening;
    if (position.isolated) fundOpening(state, account, market, position, opening, priceTicks, feeE8, refId);
  }
  if (feeE8 > 0n) {
    changeCrossWallet(state, account, -feeE8, 'TRADE_FEE', market.instrument.symbol, refId);
    state.feePoolE8 += feeE8;
  }
  position.updatedAtMs = atMs;
  emitPosition(state, position);
  touch(state, account);
  return realized;
}

/**
 * R9: isolated opening lots bring from the cross wallet their IM (|notional| / leverage, rounded
 * up) and their open loss at mark: |price − mark| × lots when the fill is worse than the mark for
 * the position's side (above it for a long, below for a short), as the margin check charged it.
 * The open loss comes only from what the cross wallet holds after the IM and the fill's fee (a
 * resting order's open loss can have grown since its check; the fee is charged to the cross wallet
 * right after); the IM is taken in full.
 */
function fundOpening(
  state: RefState, account: RefAccount, market: RefMarket, position: RefPosition, openingLots: number, priceTicks: number,
  feeE8: bigint, refId: number,
): void {
  const lots = Math.abs(openingLots);
  const k = market.instrument.quotePerTickLotE8;
  const initialMargin = divCeil(BigInt(lots) * BigInt(priceTicks) * k, BigInt(position.leverage));
  const worseTicks = openingLots > 0 ? priceTicks - market.markTicks : market.markTicks - priceTicks;
  const openLoss = worseTicks > 0 ? BigInt(lots) * BigInt(worseTicks) * k : 0n;
  const spare = account.crossWalletE8 - initialMargin - (feeE8 > 0n ? feeE8 : 0n);
  const amount = initialMargin + (openLoss < spare ? openLoss : spare > 0n ? spare : 0n);
  changeCrossWallet(state, account, -amount, 'ISOLATED_MARGIN', market.instrument.symbol, refId);
  changeIsolatedWallet(state, account, position, amount, 'ISOLATED_MARGIN', refId);
}

/**
 * R1: after a reduce of `closed` of `absBefore` lots with realized PnL R (already in the wallet),
 * T = max(0, floor(W × closed / absBefore) + R) goes back to cross, W being the wallet before the
 * fill: the rest keeps its margin per lot. A flat position returns its whole wallet.
 */
function releaseOnReduce(
  state: RefState, account: RefAccount, position: RefPosition, walletBeforeE8: bigint, closed: number, absBefore: number,
  realizedE8: bigint, refId: number,
): void {
  if (position.sizeLots === 0) {
    releaseFlatIsolated(state, account, position, refId);
    return;
  }
  const release = divFloor(walletBeforeE8 * BigInt(closed), BigInt(absBefore)) + realizedE8;
  if (release > 0n) isolatedToCross(state, account, position, release, refId);
}

/**
 * A flat isolated position returns its whole wallet to cross. A negative wallet (a close beyond
 * the isolated bankruptcy price) is covered by the insurance fund as far as it reaches, so the
 * loss stays isolated; any rest falls to the cross wallet.
 */
export function releaseFlatIsolated(state: RefState, account: RefAccount, position: RefPosition, refId: number): void {
  let release = position.isolatedWalletE8;
  if (release === 0n) return;
  if (release < 0n) {
    const covered = state.insuranceFundE8 < -release ? state.insuranceFundE8 : -release;
    if (covered > 0n) {
      changeInsurance(state, -covered, 'DEFICIT', symbolOf(state, position.market), account.accountId);
      changeIsolatedWallet(state, account, position, covered, 'INSURANCE_CLEAR', refId);
      release += covered;
    }
    if (release === 0n) return;
  }
  isolatedToCross(state, account, position, release, refId);
}
