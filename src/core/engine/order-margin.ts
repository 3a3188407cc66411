/**
 * @module engine/order-margin
 * Margin reserved by resting orders. Each non-reduce-only resting order carries its §1.2 cost for
 * its remaining quantity (cost of the full order scaled by remaining / original, rounded up); a
 * position keeps per-side sums, and its order margin is max(buy side, sell side) counting only the
 * part of each side that would open exposure (margin.orderMarginOf). Every change goes through
 * these functions, so the sums always equal a recomputation (checked by the auditor).
 */
import { divCeil } from '../num/int.js';
import { BUY } from '../book/types.js';
import { orderMarginOf, sideOrderMarginE8 } from './margin.js';
import type { OrderRecord, Position } from './state.js';

function remainingCostE8(order: OrderRecord, leverage: number): bigint {
  const remaining = order.remainingLots;
  if (remaining <= 0) return 0n;
  const full = order.fullCostAt(leverage);
  if (remaining === order.origQtyLots) return full;
  return divCeil(full * BigInt(remaining), BigInt(order.origQtyLots));
}

function addToSide(position: Position, order: OrderRecord, lots: number, costE8: bigint): void {
  if (order.side === BUY) {
    position.buyQtyLots += lots;
    position.buyCostE8 += costE8;
  } else {
    position.sellQtyLots += lots;
    position.sellCostE8 += costE8;
  }
}

/** Starts reserving for a resting order (after it entered the book). */
export function reserveOrder(position: Position, order: OrderRecord): void {
  if (order.reduceOnly) return;
  order.marginCostE8 = remainingCostE8(order, position.leverage);
  addToSide(position, order, order.remainingLots, order.marginCostE8);
  position.orderMarginE8 = orderMarginOf(position);
}

/** Re-prices the reservation after the order's remaining quantity changed (fill, amend down). */
export function refreshReservation(position: Position, order: OrderRecord, previousRemainingLots: number): void {
  if (order.reduceOnly) return;
  const cost = remainingCostE8(order, position.leverage);
  addToSide(position, order, order.remainingLots - previousRemainingLots, cost - order.marginCostE8);
  order.marginCostE8 = cost;
  position.orderMarginE8 = orderMarginOf(position);
}

/** Stops reserving (the order left the book). */
export function releaseOrder(position: Position, order: OrderRecord, remainingLotsAtRelease: number): void {
  if (order.reduceOnly) return;
  addToSide(position, order, -remainingLotsAtRelease, -order.marginCostE8);
  order.marginCostE8 = 0n;
  position.orderMarginE8 = orderMarginOf(position);
}

/** Puts back a reservation taken off by releaseOrder (used to undo a what-if check). */
export function restoreReservation(position: Position, order: OrderRecord, remainingLots: number, costE8: bigint): void {
  if (order.reduceOnly) return;
  order.marginCostE8 = costE8;
  addToSide(position, order, remainingLots, costE8);
  position.orderMarginE8 = orderMarginOf(position);
}

/** Re-prices every resting order of the position at a new leverage. */
export function repriceForLeverage(position: Position, resting: readonly OrderRecord[]): void {
  for (const order of resting) {
    if (order.reduceOnly || order.market !== position.market) continue;
    const cost = remainingCostE8(order, position.leverage);
    addToSide(position, order, 0, cost - order.marginCostE8);
    order.marginCostE8 = cost;
  }
  position.orderMarginE8 = orderMarginOf(position);
}

/** Position order margin if an order (not yet resting) were added with `costE8` for `lots`. */
export function orderMarginWith(position: Position, isBuy: boolean, lots: number, costE8: bigint): bigint {
  const size = position.sizeLots;
  const buy = isBuy ? sideOrderMarginE8(position.buyQtyLots + lots, position.buyCostE8 + costE8, size < 0 ? -size : 0)
    : sideOrderMarginE8(position.buyQtyLots, position.buyCostE8, size < 0 ? -size : 0);
  const sell = isBuy ? sideOrderMarginE8(position.sellQtyLots, position.sellCostE8, size > 0 ? size : 0)
    : sideOrderMarginE8(position.sellQtyLots + lots, position.sellCostE8 + costE8, size > 0 ? size : 0);
  return buy > sell ? buy : sell;
}
