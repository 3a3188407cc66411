/**
 * @module engine/metrics
 * Account-level margin figures, computed from positions at mark (no caches to drift):
 * - cross margin balance = cross wallet + Σ cross unrealized PnL
 * - available = cross margin balance − Σ cross position IM − Σ order margin (all symbols)
 *   This is the rule that lets unrealized profit back new positions in cross margin ("rolling").
 * - withdrawable = min(available, cross wallet + min(0, Σ cross UPnL) − Σ cross IM − Σ order margin),
 *   floored at 0: unrealized profit can open positions but cannot leave the venue.
 * - an isolated position's margin balance = its isolated wallet + its unrealized PnL.
 * Liquidation: margin balance ≤ maintenance margin (cross: summed over cross positions).
 */
import type { EngineContext } from './context.js';
import {
  maintenanceMarginE8, positionInitialMarginE8, unrealizedPnlE8,
} from './margin.js';
import type { Account, Position } from './state.js';

export class CrossTotals {
  walletE8 = 0n;
  unrealizedPnlE8 = 0n;
  maintenanceE8 = 0n;
  positionInitialMarginE8 = 0n;
  orderMarginE8 = 0n;
  crossPositions = 0;

  get marginBalanceE8(): bigint {
    return this.walletE8 + this.unrealizedPnlE8;
  }

  get availableE8(): bigint {
    return this.walletE8 + this.unrealizedPnlE8 - this.positionInitialMarginE8 - this.orderMarginE8;
  }

  get withdrawableE8(): bigint {
    const lossOnly = this.unrealizedPnlE8 < 0n ? this.unrealizedPnlE8 : 0n;
    const fromWallet = this.walletE8 + lossOnly - this.positionInitialMarginE8 - this.orderMarginE8;
    const available = this.availableE8;
    const value = available < fromWallet ? available : fromWallet;
    return value > 0n ? value : 0n;
  }
}

/** Fills `out` with the account's cross figures at current marks. */
export function computeCross(ctx: EngineContext, account: Account, out: CrossTotals): CrossTotals {
  return sumCross(ctx, account, out, true);
}

/**
 * The risk check's subset of computeCross: wallet, UPnL and maintenance of the cross positions
 * (IM and order margin are left at 0). It runs after every fill for both accounts, where the IM
 * division was pure overhead.
 */
export function computeCrossRisk(ctx: EngineContext, account: Account, out: CrossTotals): CrossTotals {
  return sumCross(ctx, account, out, false);
}

function sumCross(ctx: EngineContext, account: Account, out: CrossTotals, withMargins: boolean): CrossTotals {
  out.walletE8 = account.crossWalletE8;
  out.unrealizedPnlE8 = 0n;
  out.maintenanceE8 = 0n;
  out.positionInitialMarginE8 = 0n;
  out.orderMarginE8 = 0n;
  out.crossPositions = 0;
  for (const position of account.positions.values()) {
    if (withMargins) out.orderMarginE8 += position.orderMarginE8;
    if (position.isolated || position.sizeLots === 0) continue;
    const market = ctx.markets[position.market]!;
    const mark = market.markTicks;
    out.unrealizedPnlE8 += unrealizedPnlE8(market.instrument, position, mark);
    out.maintenanceE8 += maintenanceMarginE8(market.instrument, position, mark);
    if (withMargins) out.positionInitialMarginE8 += positionInitialMarginE8(market.instrument, position, mark);
    out.crossPositions++;
  }
  return out;
}

/** Equity backing one cross position apart from its own PnL: wallet − MM(others) + UPnL(others). */
export function crossBackingE8(ctx: EngineContext, account: Account, except: Position): bigint {
  let backing = account.crossWalletE8;
  for (const position of account.positions.values()) {
    if (position === except || position.isolated || position.sizeLots === 0) continue;
    const market = ctx.markets[position.market]!;
    backing += unrealizedPnlE8(market.instrument, position, market.markTicks);
    backing -= maintenanceMarginE8(market.instrument, position, market.markTicks);
  }
  return backing;
}

/** Equity backing a position for its bankruptcy price: wallet + UPnL(others), no MM. */
export function crossEquityExceptE8(ctx: EngineContext, account: Account, except: Position): bigint {
  let equity = account.crossWalletE8;
  for (const position of account.positions.values()) {
    if (position === except || position.isolated || position.sizeLots === 0) continue;
    const market = ctx.markets[position.market]!;
    equity += unrealizedPnlE8(market.instrument, position, market.markTicks);
  }
  return equity;
}

export function isolatedMarginBalanceE8(ctx: EngineContext, position: Position): bigint {
  const market = ctx.markets[position.market]!;
  return position.isolatedWalletE8 + unrealizedPnlE8(market.instrument, position, market.markTicks);
}

export function isolatedMaintenanceE8(ctx: EngineContext, position: Position): bigint {
  const market = ctx.markets[position.market]!;
  return maintenanceMarginE8(market.instrument, position, market.markTicks);
}
