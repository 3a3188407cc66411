/**
 * @module engine/place-order
 * PlaceOrder: validation in a fixed precedence (account, symbol, price availability, enums,
 * client id, type parameters, filters, limits, reduce-only, trigger or margin), then either a
 * conditional order filed under its trigger or an immediate order sent to the book. Any failure
 * emits Rejected with a stable code and changes nothing.
 */
import {
  BUY, OUTCOME_FOK_UNFILLED, OUTCOME_POST_ONLY_WOULD_TAKE, TIF_GTX, TIF_IOC, type Side,
} from '../book/types.js';
import type { EngineContext } from './context.js';
import type { PlaceOrderCommand } from './commands.js';
import {
  isConditionalType, isMarketLike, isOrderTypeName, isStpModeName, isTimeInForceName, isValidClientOrderId,
  isWorkingTypeName, sideCode, stpCode, tifCode,
} from './codes.js';
import { executeTaker } from './execution.js';
import { notionalE8 } from './margin.js';
import { addLiveOrder, emitOrderUpdate, generatedClientOrderId, liveOrderByClientId } from './order-lifecycle.js';
import {
  checkAffordable, checkPercentPrice, checkPriceFilter, effectiveStp, marketProtectionLimit, referencePriceTicks,
  setOrderMarginInputs, capAtBankruptcy, orderMarginInputs,
} from './order-checks.js';
import { admitCopyAccountOrder } from './copy.js';
import { admitOrder } from './policy.js';
import { peekPosition } from './positions.js';
import { REJECT, type RejectReason } from './reject-codes.js';
import { firesOnRise } from './trigger-index.js';
import { OrderRecord, type Account, type Market, type Position } from './state.js';


export function placeOrder(ctx: EngineContext, cmd: PlaceOrderCommand): void {
  const reason = tryPlaceOrder(ctx, cmd);
  if (reason !== undefined) ctx.reject('PlaceOrder', reason, cmd.accountId, cmd.symbol, cmd.clientOrderId);
}

/** Places the order, or returns why not (and then nothing changed). */
function tryPlaceOrder(ctx: EngineContext, cmd: PlaceOrderCommand): RejectReason | undefined {
  const account = ctx.findAccount(cmd.accountId);
  if (account === undefined) return REJECT.ACCOUNT_NOT_FOUND;
  const market = ctx.marketBySymbol.get(cmd.symbol);
  if (market === undefined) return REJECT.UNKNOWN_SYMBOL;
  if (market.markTicks === 0) return REJECT.NO_INDEX_PRICE;
  const side = sideCode(cmd.side);
  if (side === undefined) return REJECT.INVALID_SIDE;
  if (!isOrderTypeName(cmd.orderType)) return REJECT.INVALID_ORDER_TYPE;
  if (!isTimeInForceName(cmd.timeInForce)) return REJECT.INVALID_TIME_IN_FORCE;
  if (!isWorkingTypeName(cmd.workingType) || !isStpModeName(cmd.stpMode)) {
    return REJECT.INVALID_PARAMETER;
  }
  const orderId = ctx.nextOrderId;
  const generatedClientId = cmd.clientOrderId === '';
  const clientOrderId = generatedClientId ? generatedClientOrderId(orderId) : cmd.clientOrderId;
  // Generated ids are valid by construction; only a client's own id needs the pattern check.
  if (!generatedClientId && !isValidClientOrderId(clientOrderId)) return REJECT.CLIENT_ORDER_ID_INVALID;
  // A generated id names an order id not yet issued, so only a client's earlier choice can clash.
  if (generatedClientId ? account.clientOrderIds.size > 0 && account.clientOrderIds.has(clientOrderId)
    : liveOrderByClientId(ctx, account, clientOrderId) !== undefined) {
    return REJECT.CLIENT_ORDER_ID_DUPLICATED;
  }
  const problem = checkParameters(market, cmd, side);
  if (problem !== undefined) return problem;
  const position = peekPosition(ctx, account, market.marketIndex);
  const gate = admitOrder(ctx, account, position, cmd.reduceOnly || cmd.closePosition) ??
    admitCopyAccountOrder(account, cmd.reduceOnly || cmd.closePosition);
  if (gate !== undefined) return gate;
  const conditional = isConditionalType(cmd.orderType);
  if (conditional && position.algoOrderCount >= market.instrument.maxAlgoOrders) return REJECT.MAX_ALGO_ORDERS;
  if (!conditional && cmd.timeInForce !== 'IOC' && cmd.timeInForce !== 'FOK' && cmd.orderType === 'LIMIT' &&
    position.openOrderCount >= market.instrument.maxOpenOrders) {
    return REJECT.MAX_OPEN_ORDERS;
  }
  const order = new OrderRecord({
    orderId, accountId: account.accountId, market: market.marketIndex, clientOrderId, side, orderType: cmd.orderType,
    timeInForce: cmd.orderType === 'MARKET' || isMarketLike(cmd.orderType) ? 'GTC' : cmd.timeInForce,
    qtyLots: cmd.qtyLots, priceTicks: cmd.priceTicks, stopPriceTicks: cmd.stopPriceTicks,
    activationPriceTicks: cmd.activationPriceTicks, callbackRateBps: cmd.callbackRateBps, reduceOnly: cmd.reduceOnly,
    closePosition: cmd.closePosition, workingType: cmd.workingType, priceProtect: cmd.priceProtect, stpMode: cmd.stpMode,
    conditional, origin: 'USER', causeId: 0, createdAtMs: cmd.atMs,
  });
  order.generatedClientId = generatedClientId;
  if (conditional) {
    const triggerProblem = checkWouldTrigger(market, order);
    if (triggerProblem !== undefined) return triggerProblem;
    ctx.nextOrderId++;
    if (order.orderType === 'TRAILING_STOP_MARKET' && order.activationPriceTicks === 0) {
      order.trailingActive = true;
      order.trailingExtremeTicks = workingPrice(market, order);
    }
    addLiveOrder(ctx, account, order);
    market.triggers.add(order);
    emitOrderUpdate(ctx, order, 'NEW', 'NONE');
    return;
  }
  const immediateProblem = sendImmediate(ctx, account, market, position, order, cmd.timeInForce, cmd.atMs, false);
  if (immediateProblem !== undefined) return immediateProblem;
}

/** Type-specific mandatory parameters and symbol filters. */
function checkParameters(market: Market, cmd: PlaceOrderCommand, side: Side): RejectReason | undefined {
  const instrument = market.instrument;
  const type = cmd.orderType;
  const needsPrice = type === 'LIMIT' || type === 'STOP' || type === 'TAKE_PROFIT';
  const needsStop = type === 'STOP' || type === 'STOP_MARKET' || type === 'TAKE_PROFIT' || type === 'TAKE_PROFIT_MARKET';
  if (cmd.closePosition) {
    if (type !== 'STOP_MARKET' && type !== 'TAKE_PROFIT_MARKET') return REJECT.CLOSE_POSITION_INVALID;
    if (cmd.qtyLots !== 0) return REJECT.CLOSE_POSITION_INVALID;
    if (cmd.reduceOnly) return REJECT.PARAM_NOT_REQUIRED;
  } else {
    if (!Number.isSafeInteger(cmd.qtyLots) || cmd.qtyLots <= 0) return REJECT.QTY_NOT_POSITIVE;
    if (cmd.qtyLots < instrument.minQtyLots) return REJECT.QTY_BELOW_MIN;
    const maxLots = isMarketLike(type) ? instrument.marketMaxQtyLots : instrument.maxQtyLots;
    if (cmd.qtyLots > maxLots) return REJECT.QTY_ABOVE_MAX;
  }
  if (needsPrice) {
    if (cmd.priceTicks === 0) return REJECT.MANDATORY_PARAM_MISSING;
    const priceProblem = checkPriceFilter(market, cmd.priceTicks);
    if (priceProblem !== undefined) return priceProblem;
  } else if (cmd.priceTicks !== 0) {
    return REJECT.PARAM_NOT_REQUIRED;
  }
  if (needsStop) {
    if (cmd.stopPriceTicks === 0) return REJECT.MANDATORY_PARAM_MISSING;
    const stopProblem = checkPriceFilter(market, cmd.stopPriceTicks);
    if (stopProblem !== undefined) return stopProblem;
  } else if (cmd.stopPriceTicks !== 0) {
    return REJECT.PARAM_NOT_REQUIRED;
  }
  if (type === 'TRAILING_STOP_MARKET') {
    if (!Number.isSafeInteger(cmd.callbackRateBps) || cmd.callbackRateBps < 10 || cmd.callbackRateBps > 1000) {
      return REJECT.CALLBACK_RATE_INVALID;
    }
    if (cmd.activationPriceTicks !== 0) {
      const activationProblem = checkPriceFilter(market, cmd.activationPriceTicks);
      if (activationProblem !== undefined) return activationProblem;
    }
  } else if (cmd.callbackRateBps !== 0 || cmd.activationPriceTicks !== 0) {
    return REJECT.PARAM_NOT_REQUIRED;
  }
  if (type === 'LIMIT') {
    const band = checkPercentPrice(market, side, cmd.priceTicks);
    if (band !== undefined) return band;
  }
  if (!cmd.reduceOnly && !cmd.closePosition) {
    const valuation = needsPrice ? cmd.priceTicks : needsStop ? cmd.stopPriceTicks : referencePriceTicks(market);
    if (notionalE8(instrument, valuation, cmd.qtyLots) < instrument.minNotionalE8) return REJECT.MIN_NOTIONAL;
  }
  return undefined;
}

/** The price a conditional order watches. */
export function workingPrice(market: Market, order: OrderRecord): number {
  if (order.workingType === 'MARK_PRICE') return market.markTicks;
  return market.lastTicks > 0 ? market.lastTicks : market.markTicks;
}

function checkWouldTrigger(market: Market, order: OrderRecord): RejectReason | undefined {
  const price = workingPrice(market, order);
  if (order.orderType === 'TRAILING_STOP_MARKET') {
    if (order.activationPriceTicks === 0) return undefined;
    // Binance: activation must be above the latest price for a SELL, below it for a BUY.
    const wrongSide = order.side === BUY ? order.activationPriceTicks >= price : order.activationPriceTicks <= price;
    return wrongSide ? REJECT.WOULD_IMMEDIATELY_TRIGGER : undefined;
  }
  const immediate = firesOnRise(order) ? price >= order.stopPriceTicks : price <= order.stopPriceTicks;
  return immediate ? REJECT.WOULD_IMMEDIATELY_TRIGGER : undefined;
}

/**
 * Sends a LIMIT or MARKET-like order to the book after the reduce-only and margin checks. Used by
 * new orders (fromTrigger false) and by triggered conditional orders (fromTrigger true; the order
 * is already live). Returns a reject reason, in which case nothing changed.
 */
export function sendImmediate(
  ctx: EngineContext, account: Account, market: Market, position: Position, order: OrderRecord,
  timeInForce: PlaceOrderCommand['timeInForce'], atMs: number, fromTrigger: boolean,
): RejectReason | undefined {
  const side = order.side;
  const isMarket = isMarketLike(order.orderType);
  const isFok = !isMarket && timeInForce === 'FOK';
  const tif = isMarket ? TIF_IOC : tifCode(timeInForce);
  const stp = tif === TIF_GTX ? 0 : effectiveStp(stpCode(order.stpMode), isFok);
  // Reduce-only: must shrink an existing position; market-like orders are clipped to it.
  if (order.reduceOnly || order.closePosition) {
    const reducible = side === BUY ? (position.sizeLots < 0 ? -position.sizeLots : 0)
      : (position.sizeLots > 0 ? position.sizeLots : 0);
    if (reducible === 0) return REJECT.REDUCE_ONLY_REJECTED;
    // Binance clips a reduce-only order larger than the position to the position (any type).
    const remaining = order.remainingLots;
    if (order.closePosition || remaining > reducible) {
      order.origQtyLots = order.executedQtyLots + (order.closePosition ? reducible : Math.min(remaining, reducible));
    }
  }
  let limitTicks: number;
  if (isMarket) {
    limitTicks = marketProtectionLimit(market, side);
    const best = side === BUY ? market.book.bestAsk() : market.book.bestBid();
    if (best !== -1 && (side === BUY ? best > limitTicks : best < limitTicks)) return REJECT.MARKET_PROTECTION;
  } else {
    limitTicks = order.priceTicks;
    if (fromTrigger) {
      const band = checkPercentPrice(market, side, limitTicks);
      if (band !== undefined) return band;
    }
  }
  // A closing order never fills beyond the bankruptcy price; a limit order's own price is capped
  // there too, so a resting remainder rests at the capped price.
  const capped = capAtBankruptcy(ctx, account, market, position, side, limitTicks);
  if (capped === undefined) return REJECT.NO_CLOSING_PRICE;
  if (capped !== limitTicks) {
    limitTicks = capped;
    if (!isMarket) order.priceTicks = capped;
  }
  const qty = order.remainingLots;
  if (!order.reduceOnly && !order.closePosition) {
    let plannedLots = qty;
    let plannedNotional = notionalE8(market.instrument, limitTicks, qty);
    if (isMarket) {
      ctx.matchingMarket = market.marketIndex;
      plannedLots = market.book.previewFill(account.accountId, side, limitTicks, qty, stp);
      ctx.matchingMarket = -1;
      plannedNotional = market.book.lastPreviewNotionalTickLots * market.instrument.quotePerTickLotE8;
    }
    // A fresh limit order is valued at its own price for both the check and the reservation.
    const inputs = !isMarket && order.executedQtyLots === 0 ? orderMarginInputs(market, order, plannedNotional, ctx.scratch.orderInputs)
      : undefined;
    const problem = checkAffordable(ctx, account, market, position, side,
      { lots: plannedLots, orderNotionalE8: plannedNotional }, isMarket ? market.markTicks : limitTicks, inputs);
    if (problem !== undefined) return problem;
    if (inputs === undefined) {
      setOrderMarginInputs(ctx, market, order, isMarket ? market.markTicks : limitTicks);
    } else {
      order.setMarginInputs(inputs.imNotionalE8, inputs.openLossE8);
    }
  }
  const outcome = executeTaker(ctx, market, order, {
    limitTicks, qtyLots: qty, tif, stp, liquidation: false, remainderReason: isMarket ? 'MARKET_REMAINDER' : 'IOC',
  }, atMs);
  if (outcome === OUTCOME_POST_ONLY_WOULD_TAKE) return REJECT.POST_ONLY_WOULD_TAKE;
  if (outcome === OUTCOME_FOK_UNFILLED) return REJECT.FOK_NOT_FILLED;
  // The id is consumed only by an accepted order, so rejected commands leave no trace.
  if (!fromTrigger) ctx.nextOrderId++;
  return undefined;
}
