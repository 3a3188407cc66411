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
 *
 * Every figure is a pure function of plain numbers (PositionFigures, MarketFigures), so a read
 * model, surveillance or a UI that keeps positions from committed events computes exactly what the
 * engine does with the same functions; the engine passes its own Position and Market records,
 * which have these fields.
 */
import type { Instrument } from '../instrument/instrument.js';
import {
  maintenanceMarginE8, positionInitialMarginE8, unrealizedPnlE8,
} from './margin.js';
import type { Account, Position } from './state.js';

/** What the margin figures need of a position. */
export interface PositionFigures {
  /** Market index (into the MarketFigures list). */
  readonly market: number;
  readonly sizeLots: number;
  /** Signed entry notional, quote E8 (long > 0). */
  readonly costE8: bigint;
  readonly isolated: boolean;
  readonly isolatedWalletE8: bigint;
  readonly leverage: number;
  /** Margin reserved by the position's resting orders (max of the two sides' opening cost). */
  readonly orderMarginE8: bigint;
}

/** What the margin figures need of a market. */
export interface MarketFigures {
  readonly instrument: Instrument;
  readonly markTicks: number;
}

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

/**
 * The cross figures of an account with cross wallet `walletE8` and `positions`, at the marks of
 * `markets`, into `out`. `withMargins` false leaves IM and order margin at 0 (the risk check's
 * subset: it runs after every fill, where the IM division was pure overhead).
 */
export function crossTotalsOf(
  walletE8: bigint, positions: Iterable<PositionFigures>, markets: readonly MarketFigures[], out: CrossTotals,
  withMargins = true,
): CrossTotals {
  out.walletE8 = walletE8;
  out.unrealizedPnlE8 = 0n;
  out.maintenanceE8 = 0n;
  out.positionInitialMarginE8 = 0n;
  out.orderMarginE8 = 0n;
  out.crossPositions = 0;
  for (const position of positions) {
    if (withMargins) out.orderMarginE8 += position.orderMarginE8;
    if (position.isolated || position.sizeLots === 0) continue;
    const market = markets[position.market]!;
    const mark = market.markTicks;
    out.unrealizedPnlE8 += unrealizedPnlE8(market.instrument, position, mark);
    out.maintenanceE8 += maintenanceMarginE8(market.instrument, position, mark);
    if (withMargins) out.positionInitialMarginE8 += positionInitialMarginE8(market.instrument, position, mark);
    out.crossPositions++;
  }
  return out;
}

/**
 * Equity backing one cross position apart from its own PnL, for its liquidation price:
 * wallet − MM(others) + UPnL(others).
 */
export function crossBackingOf(
  walletE8: bigint, positions: Iterable<PositionFigures>, markets: readonly MarketFigures[], except: PositionFigures,
): bigint {
  let backing = walletE8;
  for (const position of positions) {
    if (position === except || position.isolated || position.sizeLots === 0) continue;
    const market = markets[position.market]!;
    backing += unrealizedPnlE8(market.instrument, position, market.markTicks);
    backing -= maintenanceMarginE8(market.instrument, position, market.markTicks);
  }
  return backing;
}

/** Equity backing a cross position for its bankruptcy price: wallet + UPnL(others), no MM. */
export function crossEquityExceptOf(
  walletE8: bigint, positions: Iterable<PositionFigures>, markets: readonly MarketFigures[], except: PositionFigures,
): bigint {
  let equity = walletE8;
  for (const position of positions) {
    if (position === except || position.isolated || position.sizeLots === 0) continue;
    const market = markets[position.market]!;
    equity += unrealizedPnlE8(market.instrument, position, market.markTicks);
  }
  return equity;
}

/** The equity that backs `position` for its liquidation price: isolated wallet, or crossBackingOf. */
export function liquidationBackingOf(
  walletE8: bigint, positions: Iterable<PositionFigures>, markets: readonly MarketFigures[], position: PositionFigures,
): bigint {
  return position.isolated ? position.isolatedWalletE8 : crossBackingOf(walletE8, positions, markets, position);
}

// ---- The engine's own records ---------------------------------------------------------------------

interface EngineMarkets {
  readonly markets: readonly MarketFigures[];
}

/** Fills `out` with the account's cross figures at current marks. */
export function computeCross(ctx: EngineMarkets, account: Account, out: CrossTotals): CrossTotals {
  return crossTotalsOf(account.crossWalletE8, account.positions.values(), ctx.markets, out, true);
}

/** The risk check's subset of computeCross: wallet, UPnL and maintenance of the cross positions. */
export function computeCrossRisk(ctx: EngineMarkets, account: Account, out: CrossTotals): CrossTotals {
  return crossTotalsOf(account.crossWalletE8, account.positions.values(), ctx.markets, out, false);
}

export function crossBackingE8(ctx: EngineMarkets, account: Account, except: Position): bigint {
  return crossBackingOf(account.crossWalletE8, account.positions.values(), ctx.markets, except);
}

export function crossEquityExceptE8(ctx: EngineMarkets, account: Account, except: Position): bigint {
  return crossEquityExceptOf(account.crossWalletE8, account.positions.values(), ctx.markets, except);
}

/** An account's equity: cross margin balance plus every isolated position's margin balance, at mark. */
export function accountEquityE8(ctx: EngineMarkets, account: Account, out: CrossTotals): bigint {
  let equity = computeCross(ctx, account, out).marginBalanceE8;
  for (const position of account.positions.values()) {
    if (position.isolated && position.sizeLots !== 0) equity += isolatedMarginBalanceE8(ctx, position);
  }
  return equity;
}

export function isolatedMarginBalanceE8(ctx: EngineMarkets, position: Position): bigint {
  const market = ctx.markets[position.market]!;
  return position.isolatedWalletE8 + unrealizedPnlE8(market.instrument, position, market.markTicks);
}

export function isolatedMaintenanceE8(ctx: EngineMarkets, position: Position): bigint {
  const market = ctx.markets[position.market]!;
  return maintenanceMarginE8(market.instrument, position, market.markTicks);
}
