/**
 * @module engine/order-lifecycle
 * Bookkeeping shared by every path that creates, updates or ends an order: the live-order maps,
 * per-symbol order counts, margin reservations, and the OrderUpdate event (Binance
 * ORDER_TRADE_UPDATE). An order is live from acceptance until it is FILLED, CANCELED or EXPIRED;
 * then it leaves the state, and its history lives on only in events.
 */
import { assert } from '../assert.js';
import type { EngineContext } from './context.js';
import type { ExecutionTypeName, OrderEndReason, OrderStatusName } from './events.js';
import { releaseOrder } from './order-margin.js';
import { positionOf } from './positions.js';
import type { Account, OrderRecord } from './state.js';

export function emitOrderUpdate(
  ctx: EngineContext, order: OrderRecord, execution: ExecutionTypeName, reason: OrderEndReason,
): void {
  ctx.log.orderUpdate(execution, reason, order, 0, 0, 0, false, 0n, 0n);
}

export function emitTradeUpdate(
  ctx: EngineContext, order: OrderRecord, tradeId: number, qtyLots: number, priceTicks: number, maker: boolean,
  feeE8: bigint, realizedPnlE8: bigint,
): void {
  ctx.log.orderUpdate('TRADE', 'NONE', order, tradeId, qtyLots, priceTicks, maker, feeE8, realizedPnlE8);
}

const GENERATED_PREFIX = 'perpx-';

/** The client id the engine gives an order placed without one. */
export function generatedClientOrderId(orderId: number): string {
  return GENERATED_PREFIX + String(orderId);
}

/** The order id inside a generated-form client id (`perpx-<id>`, no leading zeros), else undefined. */
function generatedOrderIdOf(clientOrderId: string): number | undefined {
  const length = clientOrderId.length;
  if (length <= GENERATED_PREFIX.length || length > GENERATED_PREFIX.length + 15 || !clientOrderId.startsWith(GENERATED_PREFIX)) {
    return undefined;
  }
  let id = 0;
  for (let i = GENERATED_PREFIX.length; i < length; i++) {
    const digit = clientOrderId.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9 || (digit === 0 && i === GENERATED_PREFIX.length)) return undefined;
    id = id * 10 + digit;
  }
  return id;
}

/**
 * The account's live order with this client id. Ids the client chose sit in clientOrderIds;
 * generated ids name their order id, so they need no map entry.
 */
export function liveOrderByClientId(ctx: EngineContext, account: Account, clientOrderId: string): OrderRecord | undefined {
  // Client-chosen ids map straight to the record (one lookup, not two, on every keyed command).
  const mapped = account.clientOrderIds.get(clientOrderId);
  if (mapped !== undefined) return mapped;
  const orderId = generatedOrderIdOf(clientOrderId);
  if (orderId === undefined) return undefined;
  const order = ctx.liveOrders.get(orderId);
  return order !== undefined && order.accountId === account.accountId && order.clientOrderId === clientOrderId
    ? order : undefined;
}

/** Registers a live order (resting or conditional). */
export function addLiveOrder(ctx: EngineContext, account: Account, order: OrderRecord): void {
  assert(!order.live, 'a live order joins once');
  ctx.liveOrders.add(order);
  order.live = true;
  account.orders.add(order);
  if (!order.generatedClientId) account.clientOrderIds.set(order.clientOrderId, order);
  if (order.reduceOnly) account.reduceOnlyOrders++;
  const position = positionOf(ctx, account, order.market);
  if (order.conditional && !order.triggered) position.algoOrderCount++;
  else position.openOrderCount++;
}

function removeLiveOrder(ctx: EngineContext, account: Account, order: OrderRecord): void {
  ctx.liveOrders.remove(order);
  order.live = false;
  account.orders.remove(order);
  if (!order.generatedClientId && account.clientOrderIds.get(order.clientOrderId) === order) {
    account.clientOrderIds.delete(order.clientOrderId);
  }
  if (order.reduceOnly) account.reduceOnlyOrders--;
  const position = positionOf(ctx, account, order.market);
  if (order.conditional && !order.triggered) position.algoOrderCount--;
  else position.openOrderCount--;
  assert(position.algoOrderCount >= 0 && position.openOrderCount >= 0, 'order counts stay non-negative');
}

/**
 * Ends a live order: takes it out of the book or trigger index, releases its margin, removes it
 * from the live maps and emits the final OrderUpdate.
 */
export function endLiveOrder(
  ctx: EngineContext, order: OrderRecord, status: OrderStatusName, execution: ExecutionTypeName,
  reason: OrderEndReason, atMs: number,
): void {
  const account = ctx.account(order.accountId);
  const market = ctx.markets[order.market]!;
  if (order.resting) {
    const remaining = market.book.cancel(order.orderId);
    assert(remaining === order.remainingLots, 'book remaining agrees with the order record');
    releaseOrder(positionOf(ctx, account, order.market), order, remaining);
    order.resting = false;
  } else if (order.conditional && !order.triggered) {
    market.triggers.remove(order);
  }
  removeLiveOrder(ctx, account, order);
  order.status = status;
  order.updatedAtMs = atMs;
  emitOrderUpdate(ctx, order, execution, reason);
}

/**
 * A conditional order triggered: it stops counting as an algo order and becomes a regular one
 * (the same order id), which the trigger processor then executes.
 */
export function markTriggered(ctx: EngineContext, order: OrderRecord, atMs: number): void {
  const account = ctx.account(order.accountId);
  const position = positionOf(ctx, account, order.market);
  position.algoOrderCount--;
  position.openOrderCount++;
  order.triggered = true;
  order.updatedAtMs = atMs;
  emitOrderUpdate(ctx, order, 'TRIGGERED', 'NONE');
}

/** Removes a live order that ended inside execution (filled, or expired after matching). */
export function retireOrder(ctx: EngineContext, order: OrderRecord): void {
  if (order.live) removeLiveOrder(ctx, ctx.account(order.accountId), order);
}
