/**
 * CancelOrder, CancelAllOrders and AmendOrder (Binance PUT /fapi/v1/order). An order is named by
 * id or client id and must be the caller's, in the named symbol; anything else is unknown
 * (-2011 cancel, -2013 amend). Amend keeps time priority only for the same price and a smaller
 * quantity; otherwise the order re-enters the book like a new limit order with the same id.
 */
import type { AmendOrderCommand, CancelAllOrdersCommand, CancelOrderCommand } from '../../../src/core/engine/commands.js';
import { orderSides } from './account-figures.js';
import { emitOrderUpdate, emitRejected } from './events.js';
import { notional } from './formulas.js';
import { bookStp, bookTif, endLiveOrder, executeTaker } from './matching.js';
import { checkAffordable, checkPercentPrice, checkPriceFilter, orderCostInputs } from './order-checks.js';
import { REJECT, type RejectReason } from './reject-codes.js';
import {
  findAccount, marketBySymbol, positionOf, reducibleLots, type RefAccount, type RefMarket, type RefOrder, type RefState,
} from './state.js';

function namedOrder(state: RefState, cmd: CancelOrderCommand | AmendOrderCommand, notFound: RejectReason):
  { account: RefAccount; market: RefMarket; order: RefOrder } | RejectReason {
  const account = findAccount(state, cmd.accountId);
  if (account === undefined) return REJECT.ACCOUNT_NOT_FOUND;
  const market = marketBySymbol(state, cmd.symbol);
  if (market === undefined) return REJECT.UNKNOWN_SYMBOL;
  if (cmd.orderId === 0 && cmd.clientOrderId === '') return REJECT.MANDATORY_PARAM_MISSING;
  const order = cmd.orderId !== 0 ? state.liveOrders.get(cmd.orderId)
    : account.orders.find((live) => live.clientOrderId === cmd.clientOrderId);
  if (order === undefined || order.accountId !== account.accountId || order.market !== market.index) return notFound;
  if (cmd.orderId !== 0 && cmd.clientOrderId !== '' && order.clientOrderId !== cmd.clientOrderId) return notFound;
  return { account, market, order };
}

export function cancelOrder(state: RefState, cmd: CancelOrderCommand): void {
  const found = namedOrder(state, cmd, REJECT.UNKNOWN_ORDER);
  if ('code' in found) {
    emitRejected(state, 'CancelOrder', found, cmd.accountId, cmd.symbol, cmd.clientOrderId, cmd.orderId);
    return;
  }
  endLiveOrder(state, found.order, 'CANCELED', 'CANCELED', 'USER_CANCEL', cmd.atMs);
}

export function cancelAllOrders(state: RefState, cmd: CancelAllOrdersCommand): void {
  const account = findAccount(state, cmd.accountId);
  if (account === undefined) return emitRejected(state, 'CancelAllOrders', REJECT.ACCOUNT_NOT_FOUND, cmd.accountId, cmd.symbol);
  const market = marketBySymbol(state, cmd.symbol);
  if (market === undefined) return emitRejected(state, 'CancelAllOrders', REJECT.UNKNOWN_SYMBOL, cmd.accountId, cmd.symbol);
  const victims = account.orders.filter((order) => {
    const waiting = order.conditional && !order.triggered;
    if (order.market !== market.index) return false;
    if (cmd.scope === 'REGULAR' && waiting) return false;
    return cmd.scope !== 'CONDITIONAL' || waiting;
  });
  for (const order of victims) endLiveOrder(state, order, 'CANCELED', 'CANCELED', 'USER_CANCEL', cmd.atMs);
}

export function amendOrder(state: RefState, cmd: AmendOrderCommand): void {
  const reason = tryAmend(state, cmd);
  if (reason !== undefined) emitRejected(state, 'AmendOrder', reason, cmd.accountId, cmd.symbol, cmd.clientOrderId, cmd.orderId);
}

function tryAmend(state: RefState, cmd: AmendOrderCommand): RejectReason | undefined {
  const found = namedOrder(state, cmd, REJECT.NO_SUCH_ORDER);
  if ('code' in found) return found;
  const { account, market, order } = found;
  if (order.orderType !== 'LIMIT' || !order.resting) return REJECT.ORDER_NOT_RESTING;
  const problem = checkAmend(state, account, market, order, cmd);
  if (problem !== undefined) return problem;
  const newRemaining = cmd.qtyLots - order.executedQtyLots;
  const previousRemaining = order.origQtyLots - order.executedQtyLots;
  if (cmd.priceTicks === order.priceTicks && newRemaining < previousRemaining) {
    market.book.reduce(order.orderId, newRemaining);
    order.origQtyLots = cmd.qtyLots;
    order.updatedAtMs = cmd.atMs;
    emitOrderUpdate(state, order, 'AMENDMENT', 'NONE');
    return undefined;
  }
  market.book.cancel(order.orderId);
  order.resting = false;
  order.origQtyLots = cmd.qtyLots;
  order.priceTicks = cmd.priceTicks;
  order.updatedAtMs = cmd.atMs;
  const inputs = orderCostInputs(market, order.side, order.origQtyLots, notional(market.instrument, cmd.priceTicks, cmd.qtyLots));
  order.marginNotionalE8 = inputs.imNotionalE8;
  order.marginOpenLossE8 = inputs.openLossE8;
  emitOrderUpdate(state, order, 'AMENDMENT', 'NONE');
  executeTaker(state, market, order, {
    limitTicks: cmd.priceTicks, qtyLots: newRemaining, tif: bookTif(order.timeInForce), stp: bookStp(order.stpMode),
    liquidation: false, remainderReason: 'IOC',
  }, cmd.atMs);
  return undefined;
}

function checkAmend(state: RefState, account: RefAccount, market: RefMarket, order: RefOrder, cmd: AmendOrderCommand):
  RejectReason | undefined {
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
  if (!order.reduceOnly && notional(instrument, cmd.priceTicks, cmd.qtyLots) < instrument.minNotionalE8) return REJECT.MIN_NOTIONAL;
  if (order.timeInForce === 'GTX') {
    const best = order.side === 'BUY' ? market.book.bestAsk() : market.book.bestBid();
    if (best !== -1 && (order.side === 'BUY' ? cmd.priceTicks >= best : cmd.priceTicks <= best)) return REJECT.POST_ONLY_WOULD_TAKE;
  }
  const position = positionOf(state, account, market.index);
  const newRemaining = cmd.qtyLots - order.executedQtyLots;
  if (order.reduceOnly) return newRemaining > reducibleLots(position, order.side) ? REJECT.REDUCE_ONLY_EXCEEDS_POSITION : undefined;
  // Checked as if the order's own reservation were already released (it stops resting for the check).
  order.resting = false;
  const problem = checkAffordable(state, account, market, position, order.side,
    { lots: newRemaining, notionalE8: notional(instrument, cmd.priceTicks, newRemaining) }, cmd.priceTicks,
    orderSides(account, position));
  order.resting = true;
  return problem;
}
