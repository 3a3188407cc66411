/**
 * Account-level margin figures (docs/MECHANICS.md "Margin"), recomputed from positions and live
 * orders every time they are asked for:
 * - cross margin balance = cross wallet + Σ cross UPnL;
 * - available = cross margin balance − Σ cross position IM − Σ order margin (every symbol);
 * - withdrawable = max(0, min(available, wallet + min(0, Σ cross UPnL) − Σ cross IM − Σ order margin));
 * - order margin of a symbol = max(buy side, sell side), each side counting only the part of its
 *   quantity that would open exposure; an order reserves its §1.2 cost × remaining / original.
 */
import { divCeil } from '../../../src/core/num/int.js';
import {
  cost, maintenance, min, positionInitialMargin, sideOrderMargin, unrealizedPnl,
} from './formulas.js';
import type { RefAccount, RefOrder, RefPosition, RefState } from './state.js';

/** Margin an order reserves while it rests: its full §1.2 cost scaled to the remaining quantity. */
export function reservedCost(order: RefOrder, leverage: number): bigint {
  const remaining = order.origQtyLots - order.executedQtyLots;
  if (order.reduceOnly || remaining <= 0) return 0n;
  const full = cost({ imNotionalE8: order.marginNotionalE8, openLossE8: order.marginOpenLossE8 }, leverage);
  return remaining === order.origQtyLots ? full : divCeil(full * BigInt(remaining), BigInt(order.origQtyLots));
}

export interface OrderSides {
  buyQtyLots: number;
  buyCostE8: bigint;
  sellQtyLots: number;
  sellCostE8: bigint;
}

/** Σ remaining lots and reserved cost per side of the resting, non-reduce-only orders of a symbol. */
export function orderSides(account: RefAccount, position: RefPosition): OrderSides {
  const sides: OrderSides = { buyQtyLots: 0, buyCostE8: 0n, sellQtyLots: 0, sellCostE8: 0n };
  for (const order of account.orders) {
    if (order.market !== position.market || !order.resting || order.reduceOnly) continue;
    const remaining = order.origQtyLots - order.executedQtyLots;
    if (order.side === 'BUY') {
      sides.buyQtyLots += remaining;
      sides.buyCostE8 += reservedCost(order, position.leverage);
    } else {
      sides.sellQtyLots += remaining;
      sides.sellCostE8 += reservedCost(order, position.leverage);
    }
  }
  return sides;
}

export function orderMarginOfSides(sides: OrderSides, sizeLots: number): bigint {
  const buy = sideOrderMargin(sides.buyQtyLots, sides.buyCostE8, Math.max(0, -sizeLots));
  const sell = sideOrderMargin(sides.sellQtyLots, sides.sellCostE8, Math.max(0, sizeLots));
  return buy > sell ? buy : sell;
}

export function orderMargin(account: RefAccount, position: RefPosition): bigint {
  return orderMarginOfSides(orderSides(account, position), position.sizeLots);
}

export interface CrossFigures {
  walletE8: bigint;
  unrealizedPnlE8: bigint;
  maintenanceE8: bigint;
  positionInitialMarginE8: bigint;
  orderMarginE8: bigint;
  crossPositions: number;
  marginBalanceE8: bigint;
  availableE8: bigint;
  withdrawableE8: bigint;
}

export function crossFigures(state: RefState, account: RefAccount): CrossFigures {
  let upnl = 0n;
  let mm = 0n;
  let im = 0n;
  let orders = 0n;
  let crossPositions = 0;
  for (const position of account.positions) {
    orders += orderMargin(account, position);
    if (position.isolated || position.sizeLots === 0) continue;
    const market = state.markets[position.market]!;
    upnl += unrealizedPnl(market.instrument, position, market.markTicks);
    mm += maintenance(market.instrument, position, market.markTicks);
    im += positionInitialMargin(market.instrument, position, market.markTicks);
    crossPositions++;
  }
  const wallet = account.crossWalletE8;
  const available = wallet + upnl - im - orders;
  const fromWallet = wallet + min(0n, upnl) - im - orders;
  const withdrawable = min(available, fromWallet);
  return {
    walletE8: wallet, unrealizedPnlE8: upnl, maintenanceE8: mm, positionInitialMarginE8: im, orderMarginE8: orders,
    crossPositions, marginBalanceE8: wallet + upnl, availableE8: available, withdrawableE8: withdrawable > 0n ? withdrawable : 0n,
  };
}

/** Equity backing a position for its bankruptcy price: isolated wallet, or cross wallet + UPnL of the other cross positions. */
export function bankruptcyBacking(state: RefState, account: RefAccount, position: RefPosition): bigint {
  if (position.isolated) return position.isolatedWalletE8;
  let backing = account.crossWalletE8;
  for (const other of account.positions) {
    if (other === position || other.isolated || other.sizeLots === 0) continue;
    const market = state.markets[other.market]!;
    backing += unrealizedPnl(market.instrument, other, market.markTicks);
  }
  return backing;
}

/** Equity backing a position for its liquidation price: as above, less the other cross positions' MM. */
export function liquidationBacking(state: RefState, account: RefAccount, position: RefPosition): bigint {
  if (position.isolated) return position.isolatedWalletE8;
  let backing = bankruptcyBacking(state, account, position);
  for (const other of account.positions) {
    if (other === position || other.isolated || other.sizeLots === 0) continue;
    const market = state.markets[other.market]!;
    backing -= maintenance(market.instrument, other, market.markTicks);
  }
  return backing;
}

/** Equity of a position: its backing plus its own UPnL at mark. */
export function positionEquity(state: RefState, account: RefAccount, position: RefPosition): bigint {
  const market = state.markets[position.market]!;
  return bankruptcyBacking(state, account, position) + unrealizedPnl(market.instrument, position, market.markTicks);
}
