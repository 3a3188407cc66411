/**
 * PlaceOrder (docs/MECHANICS.md "Orders"): validation in the documented precedence, then either
 * a conditional order waiting for its trigger, or an order sent to the book at once
 * (sendToBook, which triggered orders use too). Any failure is a Rejected event and changes nothing.
 */
import { OUTCOME_FOK_UNFILLED, OUTCOME_POST_ONLY_WOULD_TAKE, STP_NONE } from '../../../src/core/book/types.js';
import type { PlaceOrderCommand, TimeInForceName } from '../../../src/core/engine/commands.js';
import { orderSides } from './account-figures.js';
import { emitOrderUpdate, emitRejected } from './events.js';
import { notional } from './formulas.js';
import { addLiveOrder, bookStp, bookTif, executeTaker } from './matching.js';
import {
  capClosingLimit, checkAffordable, checkPercentPrice, checkPriceFilter, orderCostInputs, protectionLimit, referencePrice,
} from './order-checks.js';
import { REJECT, type RejectReason } from './reject-codes.js';
import {
  findAccount, marketBySymbol, peekPosition, reducibleLots, type RefAccount, type RefMarket, type RefOrder,
  type RefPosition, type RefState,
} from './state.js';

const ORDER_TYPES = ['LIMIT', 'MARKET', 'STOP', 'STOP_MARKET', 'TAKE_PROFIT', 'TAKE_PROFIT_MARKET', 'TRAILING_STOP_MARKET'];
const CLIENT_ORDER_ID = /^[.A-Z:/a-z0-9_-]{1,36}$/;

/** Types that wait for a trigger. */
export function isConditional(type: string): boolean {
  return type !== 'LIMIT' && type !== 'MARKET';
}

/** Types that meet the book as market orders. */
export function isMarketLike(type: string): boolean {
  return type === 'MARKET' || type === 'STOP_MARKET' || type === 'TAKE_PROFIT_MARKET' || type === 'TRAILING_STOP_MARKET';
}

/** The price a conditional order watches: mark, or the last trade (mark before the first trade). */
export function workingPrice(market: RefMarket, order: RefOrder): number {
  if (order.workingType === 'MARK_PRICE') return market.markTicks;
  return market.lastTicks > 0 ? market.lastTicks : market.markTicks;
}

/** STOP BUY and TAKE_PROFIT SELL fire on a rise (price ≥ stop); the others on a fall (price ≤ stop). */
export function firesOnRise(order: RefOrder): boolean {
  const isStop = order.orderType === 'STOP' || order.orderType === 'STOP_MARKET';
  return isStop === (order.side === 'BUY');
}

export function placeOrder(state: RefState, cmd: PlaceOrderCommand): void {
  const reason = tryPlaceOrder(state, cmd);
  if (reason !== undefined) emitRejected(state, 'PlaceOrder', reason, cmd.accountId, cmd.symbol, cmd.clientOrderId);
}

function tryPlaceOrder(state: RefState, cmd: PlaceOrderCommand): RejectReason | undefined {
  const account = findAccount(state, cmd.accountId);
  if (account === undefined) return REJECT.ACCOUNT_NOT_FOUND;
  const market = marketBySymbol(state, cmd.symbol);
  if (market === undefined) return REJECT.UNKNOWN_SYMBOL;
  if (market.markTicks === 0) return REJECT.NO_INDEX_PRICE;
  if (cmd.side !== 'BUY' && cmd.side !== 'SELL') return REJECT.INVALID_SIDE;
  if (!ORDER_TYPES.includes(cmd.orderType)) return REJECT.INVALID_ORDER_TYPE;
  if (!['GTC', 'IOC', 'FOK', 'GTX'].includes(cmd.timeInForce)) return REJECT.INVALID_TIME_IN_FORCE;
  if (!['MARK_PRICE', 'CONTRACT_PRICE'].includes(cmd.workingType) ||
    !['NONE', 'EXPIRE_TAKER', 'EXPIRE_MAKER', 'EXPIRE_BOTH'].includes(cmd.stpMode)) return REJECT.INVALID_PARAMETER;
  const orderId = state.nextOrderId;
  const clientOrderId = cmd.clientOrderId === '' ? `perpx-${orderId}` : cmd.clientOrderId;
  if (cmd.clientOrderId !== '' && !CLIENT_ORDER_ID.test(clientOrderId)) return REJECT.CLIENT_ORDER_ID_INVALID;
  // Unique among the account's live orders.
  if (account.orders.some((order) => order.clientOrderId === clientOrderId)) return REJECT.CLIENT_ORDER_ID_DUPLICATED;
  const problem = checkParameters(market, cmd);
  if (problem !== undefined) return problem;
  const position = peekPosition(state, account, market.index);
  const conditional = isConditional(cmd.orderType);
  const ofSymbol = account.orders.filter((order) => order.market === market.index);
  const waiting = ofSymbol.filter((order) => order.conditional && !order.triggered).length;
  if (conditional && waiting >= market.instrument.maxAlgoOrders) return REJECT.MAX_ALGO_ORDERS;
  if (!conditional && cmd.orderType === 'LIMIT' && cmd.timeInForce !== 'IOC' && cmd.timeInForce !== 'FOK' &&
    ofSymbol.length - waiting >= market.instrument.maxOpenOrders) return REJECT.MAX_OPEN_ORDERS;
  const order: RefOrder = {
    orderId, accountId: account.accountId, market: market.index, clientOrderId, side: cmd.side, orderType: cmd.orderType,
    timeInForce: isMarketLike(cmd.orderType) ? 'GTC' : cmd.timeInForce, origQtyLots: cmd.qtyLots, executedQtyLots: 0,
    cumQuoteE8: 0n, priceTicks: cmd.priceTicks, stopPriceTicks: cmd.stopPriceTicks,
    activationPriceTicks: cmd.activationPriceTicks, callbackRateBps: cmd.callbackRateBps, reduceOnly: cmd.reduceOnly,
    closePosition: cmd.closePosition, workingType: cmd.workingType, priceProtect: cmd.priceProtect, stpMode: cmd.stpMode,
    conditional, triggered: false, origin: 'USER', causeId: 0, status: 'NEW', createdAtMs: cmd.atMs, updatedAtMs: cmd.atMs,
    live: false, resting: false, marginNotionalE8: 0n, marginOpenLossE8: 0n, trailingActive: false, trailingExtremeTicks: 0,
  };
  if (!conditional) return sendToBook(state, account, market, position, order, cmd.timeInForce, cmd.atMs, false);
  if (wouldTriggerNow(market, order)) return REJECT.WOULD_IMMEDIATELY_TRIGGER;
  state.nextOrderId++;
  if (order.orderType === 'TRAILING_STOP_MARKET') {
    if (order.activationPriceTicks === 0) {
      order.trailingActive = true;
      order.trailingExtremeTicks = workingPrice(market, order);
    }
    market.trailing.push(order);
  }
  addLiveOrder(state, account, order);
  emitOrderUpdate(state, order, 'NEW', 'NONE');
  return undefined;
}

/** Mandatory parameters per type, quantity, price and stop filters, callback rate, bands, min notional. */
function checkParameters(market: RefMarket, cmd: PlaceOrderCommand): RejectReason | undefined {
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
    if (cmd.qtyLots > (isMarketLike(type) ? instrument.marketMaxQtyLots : instrument.maxQtyLots)) return REJECT.QTY_ABOVE_MAX;
  }
  // A price the type needs must be sent and pass the filter; one it does not need must be 0.
  const priceParameter = (needed: boolean, ticks: number): RejectReason | undefined => {
    if (!needed) return ticks !== 0 ? REJECT.PARAM_NOT_REQUIRED : undefined;
    return ticks === 0 ? REJECT.MANDATORY_PARAM_MISSING : checkPriceFilter(market, ticks);
  };
  const priceProblem = priceParameter(needsPrice, cmd.priceTicks) ?? priceParameter(needsStop, cmd.stopPriceTicks);
  if (priceProblem !== undefined) return priceProblem;
  if (type === 'TRAILING_STOP_MARKET') {
    if (!Number.isSafeInteger(cmd.callbackRateBps) || cmd.callbackRateBps < 10 || cmd.callbackRateBps > 1000) {
      return REJECT.CALLBACK_RATE_INVALID;
    }
    if (cmd.activationPriceTicks !== 0) {
      const problem = checkPriceFilter(market, cmd.activationPriceTicks);
      if (problem !== undefined) return problem;
    }
  } else if (cmd.callbackRateBps !== 0 || cmd.activationPriceTicks !== 0) {
    return REJECT.PARAM_NOT_REQUIRED;
  }
  if (type === 'LIMIT') {
    const problem = checkPercentPrice(market, cmd.side, cmd.priceTicks);
    if (problem !== undefined) return problem;
  }
  if (!cmd.reduceOnly && !cmd.closePosition) {
    const valuation = needsPrice ? cmd.priceTicks : needsStop ? cmd.stopPriceTicks : referencePrice(market);
    if (notional(instrument, valuation, cmd.qtyLots) < instrument.minNotionalE8) return REJECT.MIN_NOTIONAL;
  }
  return undefined;
}

/** -2021: a conditional order may not be placed where it would fire at once. */
function wouldTriggerNow(market: RefMarket, order: RefOrder): boolean {
  const price = workingPrice(market, order);
  if (order.orderType === 'TRAILING_STOP_MARKET') {
    if (order.activationPriceTicks === 0) return false;
    return order.side === 'BUY' ? order.activationPriceTicks >= price : order.activationPriceTicks <= price;
  }
  return firesOnRise(order) ? price >= order.stopPriceTicks : price <= order.stopPriceTicks;
}

/**
 * Sends a LIMIT or market-like order to the book: reduce-only rules, market protection, the
 * closing cap, margin, then matching. For a new order (fromTrigger false) a reject changes
 * nothing; a triggered order is already live and the caller expires it on a reject (the fields
 * this function adjusted before the reject stay adjusted, as in the engine).
 */
export function sendToBook(state: RefState, account: RefAccount, market: RefMarket, position: RefPosition,
  order: RefOrder, timeInForce: TimeInForceName, atMs: number, fromTrigger: boolean): RejectReason | undefined {
  const side = order.side;
  const isMarket = isMarketLike(order.orderType);
  const tif = isMarket ? 'IOC' : timeInForce;
  // STP applies to GTC and IOC only (FOK and post-only use NONE).
  const stp = tif === 'GTX' || tif === 'FOK' ? STP_NONE : bookStp(order.stpMode);
  if (order.reduceOnly || order.closePosition) {
    const reducible = reducibleLots(position, side);
    if (reducible === 0) return REJECT.REDUCE_ONLY_REJECTED;
    const remaining = order.origQtyLots - order.executedQtyLots;
    if (order.closePosition) {
      order.origQtyLots = order.executedQtyLots + reducible;
    } else if (remaining > reducible) {
      // Market-like and (R5) limit orders alike are clipped to the position (Binance).
      order.origQtyLots = order.executedQtyLots + reducible;
    }
  }
  let limitTicks: number;
  if (isMarket) {
    limitTicks = protectionLimit(market, side);
    const best = side === 'BUY' ? market.book.bestAsk() : market.book.bestBid();
    if (best !== -1 && (side === 'BUY' ? best > limitTicks : best < limitTicks)) return REJECT.MARKET_PROTECTION;
  } else {
    limitTicks = order.priceTicks;
    if (fromTrigger) {
      const problem = checkPercentPrice(market, side, limitTicks);
      if (problem !== undefined) return problem;
    }
  }
  const capped = capClosingLimit(state, account, market, position, side, limitTicks);
  if (capped !== limitTicks) {
    limitTicks = capped;
    if (!isMarket) order.priceTicks = capped;
  }
  const qty = order.origQtyLots - order.executedQtyLots;
  if (!order.reduceOnly && !order.closePosition) {
    let plan = { lots: qty, notionalE8: notional(market.instrument, limitTicks, qty) };
    if (isMarket) {
      const lots = market.book.previewFill(account.accountId, side === 'BUY' ? 0 : 1, limitTicks, qty, stp);
      plan = { lots, notionalE8: BigInt(market.book.lastPreviewNotionalTickLots) * market.instrument.quotePerTickLotE8 };
    }
    // A limit order is valued at its own price, for the check and for what it reserves if it rests.
    const inputs = isMarket ? undefined : orderCostInputs(market, side, order.origQtyLots, plan.notionalE8);
    const problem = checkAffordable(state, account, market, position, side, plan, isMarket ? market.markTicks : limitTicks,
      orderSides(account, position), inputs);
    if (problem !== undefined) return problem;
    const stored = inputs ?? orderCostInputs(market, side, order.origQtyLots,
      notional(market.instrument, market.markTicks, order.origQtyLots));
    order.marginNotionalE8 = stored.imNotionalE8;
    order.marginOpenLossE8 = stored.openLossE8;
  }
  const result = executeTaker(state, market, order, {
    limitTicks, qtyLots: qty, tif: bookTif(tif), stp, liquidation: false,
    remainderReason: isMarket ? 'MARKET_REMAINDER' : 'IOC',
  }, atMs);
  if (result.outcome === OUTCOME_POST_ONLY_WOULD_TAKE) return REJECT.POST_ONLY_WOULD_TAKE;
  if (result.outcome === OUTCOME_FOK_UNFILLED) return REJECT.FOK_NOT_FILLED;
  // Only an accepted new order consumes its id.
  if (!fromTrigger) state.nextOrderId++;
  return undefined;
}
