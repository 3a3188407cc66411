/**
 * @module engine/cancel
 * CancelOrder, CancelAllOrders and AmendOrder. Orders are addressed by id or client id and must
 * belong to the caller's account and the named symbol; anything else is "unknown order" (-2011),
 * so an account can never learn whether another account's order exists.
 * Amend (Binance PUT /fapi/v1/order) keeps time priority only when the price is unchanged and the
 * quantity goes down; otherwise the order leaves its level and re-enters like a new limit order
 * (same id, it may match if it now crosses; GTX that would cross is rejected with no change).
 */
import { BUY, TIF_GTX } from '../book/types.js';
import type { EngineContext } from './context.js';
import type { AmendOrderCommand, CancelAllOrdersCommand, CancelOrderCommand } from './commands.js';
import { stpCode, tifCode } from './codes.js';
import { executeTaker } from './execution.js';
import { notionalE8 } from './margin.js';
import { emitOrderUpdate, endLiveOrder, liveOrderByClientId } from './order-lifecycle.js';
import {
  checkAffordable, checkPercentPrice, checkPriceFilter, setOrderMarginInputs,
} from './order-checks.js';
import { refreshReservation, releaseOrder, restoreReservation } from './order-margin.js';
import { admitOrder } from './policy.js';
import { positionOf } from './positions.js';
import { REJECT, type RejectReason } from './reject-codes.js';
import { OrderRecord, type Account, type Market, type Position } from './state.js';

function findOrder(
  ctx: EngineContext, account: Account, market: Market, orderId: number, clientOrderId: string,
): OrderRecord | undefined {
  const order = orderId !== 0 ? ctx.liveOrders.get(orderId) : liveOrderByClientId(ctx, account, clientOrderId);
  if (order === undefined || order.accountId !== account.accountId || order.market !== market.marketIndex) return undefined;
  if (orderId !== 0 && clientOrderId !== '' && order.clientOrderId !== clientOrderId) return undefined;
  return order;
}

export function cancelOrder(ctx: EngineContext, cmd: CancelOrderCommand): void {
  const reason = tryCancelOrder(ctx, cmd);
  if (reason !== undefined) ctx.reject('CancelOrder', reason, cmd.accountId, cmd.symbol, cmd.clientOrderId, cmd.orderId);
}

/**
 * The caller's live order that a cancel or amend names, or why there is none: unknown account or
 * symbol, neither id given, or `notFound` (the two commands answer with different codes).
 */
function commandOrder(
  ctx: EngineContext, cmd: CancelOrderCommand | AmendOrderCommand, notFound: RejectReason,
): OrderRecord | RejectReason {
  const account = ctx.findAccount(cmd.accountId);
  if (account === undefined) return REJECT.ACCOUNT_NOT_FOUND;
  const market = ctx.marketBySymbol.get(cmd.symbol);
  if (market === undefined) return REJECT.UNKNOWN_SYMBOL;
  if (cmd.orderId === 0 && cmd.clientOrderId === '') return REJECT.MANDATORY_PARAM_MISSING;
  return findOrder(ctx, account, market, cmd.orderId, cmd.clientOrderId) ?? notFound;
}

function tryCancelOrder(ctx: EngineContext, cmd: CancelOrderCommand): RejectReason | undefined {
  const order = commandOrder(ctx, cmd, REJECT.UNKNOWN_ORDER);
  if (!(order instanceof OrderRecord)) return order;
  endLiveOrder(ctx, order, 'CANCELED', 'CANCELED', 'USER_CANCEL', cmd.atMs);
  return undefined;
}

export function cancelAllOrders(ctx: EngineContext, cmd: CancelAllOrdersCommand): void {
  const account = ctx.findAccount(cmd.accountId);
  if (account === undefined) return ctx.reject('CancelAllOrders', REJECT.ACCOUNT_NOT_FOUND, cmd.accountId, cmd.symbol);
  const market = ctx.marketBySymbol.get(cmd.symbol);
  if (market === undefined) return ctx.reject('CancelAllOrders', REJECT.UNKNOWN_SYMBOL, cmd.accountId, cmd.symbol);
  const victims: OrderRecord[] = [];
  for (const order of account.orders.values()) {
    if (order.market !== market.marketIndex) continue;
    const isAlgo = order.conditional && !order.triggered;
    if (cmd.scope === 'REGULAR' && isAlgo) continue;
    if (cmd.scope === 'CONDITIONAL' && !isAlgo) continue;
    victims.push(order);
  }
  for (const order of victims) endLiveOrder(ctx, order, 'CANCELED', 'CANCELED', 'USER_CANCEL', cmd.atMs);
}

export function amendOrder(ctx: EngineContext, cmd: AmendOrderCommand): void {
  const reason = tryAmendOrder(ctx, cmd);
  if (reason !== undefined) ctx.reject('AmendOrder', reason, cmd.accountId, cmd.symbol, cmd.clientOrderId, cmd.orderId);
}

function tryAmendOrder(ctx: EngineContext, cmd: AmendOrderCommand): RejectReason | undefined {
  const order = commandOrder(ctx, cmd, REJECT.NO_SUCH_ORDER);
  if (!(order instanceof OrderRecord)) return order;
  const account = ctx.account(order.accountId);
  const market = ctx.markets[order.market]!;
  if (order.orderType !== 'LIMIT' || !order.resting) return REJECT.ORDER_NOT_RESTING;
  const problem = checkAmend(ctx, account, market, order, cmd);
  if (problem !== undefined) return problem;
  const position = positionOf(ctx, account, market.marketIndex);
  const newRemaining = cmd.qtyLots - order.executedQtyLots;
  const previousRemaining = order.remainingLots;
  if (cmd.priceTicks === order.priceTicks && newRemaining < previousRemaining) {
    market.book.reduce(order.orderId, newRemaining);
    order.origQtyLots = cmd.qtyLots;
    order.updatedAtMs = cmd.atMs;
    refreshReservation(position, order, previousRemaining);
    emitOrderUpdate(ctx, order, 'AMENDMENT', 'NONE');
    return undefined;
  }
  // Re-entry: leave the level, then meet the book again at the new price with the same id.
  market.book.cancel(order.orderId);
  releaseOrder(position, order, previousRemaining);
  order.resting = false;
  order.origQtyLots = cmd.qtyLots;
  order.priceTicks = cmd.priceTicks;
  order.updatedAtMs = cmd.atMs;
  setOrderMarginInputs(ctx, market, order, order.priceTicks);
  emitOrderUpdate(ctx, order, 'AMENDMENT', 'NONE');
  executeTaker(ctx, market, order, {
    limitTicks: cmd.priceTicks, qtyLots: newRemaining, tif: tifCode(order.timeInForce), stp: stpCode(order.stpMode),
    liquidation: false, remainderReason: 'IOC',
  }, cmd.atMs);
  return undefined;
}

function checkAmend(
  ctx: EngineContext, account: Account, market: Market, order: OrderRecord, cmd: AmendOrderCommand,
): RejectReason | undefined {
  const instrument = market.instrument;
  if (!Number.isSafeInteger(cmd.qtyLots) || cmd.qtyLots <= 0) return REJECT.QTY_NOT_POSITIVE;
  if (cmd.qtyLots <= order.executedQtyLots) return REJECT.AMEND_BELOW_EXECUTED;
  if (cmd.qtyLots > instrument.maxQtyLots) return REJECT.QTY_ABOVE_MAX;
  if (cmd.qtyLots < instrument.minQtyLots) return REJECT.QTY_BELOW_MIN;
  const priceProblem = checkPriceFilter(market, cmd.priceTicks);
  if (priceProblem !== undefined) return priceProblem;
  if (cmd.qtyLots === order.origQtyLots && cmd.priceTicks === order.priceTicks) return REJECT.AMEND_NO_CHANGE;
  const band = checkPercentPrice(market, order.side, cmd.priceTicks);
  if (band !== undefined) return band;
  const newRemaining = cmd.qtyLots - order.executedQtyLots;
  if (!order.reduceOnly && notionalE8(instrument, cmd.priceTicks, cmd.qtyLots) < instrument.minNotionalE8) {
    return REJECT.MIN_NOTIONAL;
  }
  if (tifCode(order.timeInForce) === TIF_GTX) {
    const best = order.side === BUY ? market.book.bestAsk() : market.book.bestBid();
    if (best !== -1 && (order.side === BUY ? cmd.priceTicks >= best : cmd.priceTicks <= best)) {
      return REJECT.POST_ONLY_WOULD_TAKE;
    }
  }
  const position = positionOf(ctx, account, market.marketIndex);
  const gate = admitOrder(ctx, account, position, order.reduceOnly);
  if (gate !== undefined) return gate;
  if (order.reduceOnly) {
    const reducible = order.side === BUY ? (position.sizeLots < 0 ? -position.sizeLots : 0)
      : (position.sizeLots > 0 ? position.sizeLots : 0);
    return newRemaining > reducible ? REJECT.REDUCE_ONLY_EXCEEDS_POSITION : undefined;
  }
  return checkWithoutOwnReservation(ctx, account, market, position, order, cmd.priceTicks, newRemaining);
}

/** Margin check for the amended order as if its current reservation were already released. */
function checkWithoutOwnReservation(
  ctx: EngineContext, account: Account, market: Market, position: Position, order: OrderRecord, priceTicks: number,
  newRemaining: number,
): RejectReason | undefined {
  const previousRemaining = order.remainingLots;
  const previousCost = order.marginCostE8;
  releaseOrder(position, order, previousRemaining);
  const problem = checkAffordable(ctx, account, market, position, order.side,
    { lots: newRemaining, orderNotionalE8: notionalE8(market.instrument, priceTicks, newRemaining) }, priceTicks);
  restoreReservation(position, order, previousRemaining, previousCost);
  return problem;
}
