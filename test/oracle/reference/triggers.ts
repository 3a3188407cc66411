/**
 * Conditional orders (perp-mechanics.md §1.9): STOP / STOP_MARKET fire on a BUY when price ≥ stop
 * and on a SELL when price ≤ stop, TAKE_PROFIT* the other way round; a trailing SELL activates at
 * price ≥ activation (at once without one), tracks the highest price and fires at price ≤
 * highest × (1 − callback); a BUY mirrors it. A fired order keeps its id (TRIGGERED), is checked
 * like a new order and meets the book, or ends EXPIRED / TRIGGER_REJECTED.
 *
 * Firing order (an engine choice): stops that fire on a rise, lowest trigger first; then those that
 * fire on a fall, highest first (equal triggers: lower order id first); then trailing stops in the
 * order they joined the market's trailing list.
 */
import { emitOrderUpdate } from './events.js';
import { ONE_E8 } from './formulas.js';
import { endLiveOrder } from './matching.js';
import { firesOnRise, sendToBook } from './order-entry.js';
import { accountOf, positionOf, type RefMarket, type RefOrder, type RefState } from './state.js';

const BPS_ONE = 10_000;

function byTrigger(rising: boolean) {
  return (a: RefOrder, b: RefOrder): number => a.stopPriceTicks !== b.stopPriceTicks
    ? (rising ? a.stopPriceTicks - b.stopPriceTicks : b.stopPriceTicks - a.stopPriceTicks)
    : a.orderId - b.orderId;
}

/** Fires every conditional order of `market` due at its mark (usesMark) or last price. */
export function processTriggers(state: RefState, market: RefMarket, usesMark: boolean, atMs: number): void {
  const price = usesMark ? market.markTicks : market.lastTicks;
  if (price <= 0) return;
  const waiting = [...state.liveOrders.values()].filter((order) => order.market === market.index && order.conditional &&
    !order.triggered && order.orderType !== 'TRAILING_STOP_MARKET' && (order.workingType === 'MARK_PRICE') === usesMark);
  const rising = waiting.filter((order) => firesOnRise(order) && order.stopPriceTicks <= price).sort(byTrigger(true));
  const falling = waiting.filter((order) => !firesOnRise(order) && order.stopPriceTicks >= price).sort(byTrigger(false));
  const batch = [...rising, ...falling, ...firedTrailing(market, usesMark, price)];
  for (const order of batch) {
    if (!order.live) continue;
    if (order.priceProtect && !withinTriggerProtect(market)) {
      // priceProtect: the order waits while mark and last disagree by more than triggerProtect
      // (a trailing stop rejoins the end of the trailing list).
      if (order.orderType === 'TRAILING_STOP_MARKET') market.trailing.push(order);
      continue;
    }
    fire(state, market, order, atMs);
  }
}

/** Updates every trailing stop of the working type with `price`; removes and returns those that fire. */
function firedTrailing(market: RefMarket, usesMark: boolean, price: number): RefOrder[] {
  const fired: RefOrder[] = [];
  for (const order of [...market.trailing]) {
    if ((order.workingType === 'MARK_PRICE') !== usesMark) continue;
    const isBuy = order.side === 'BUY';
    if (!order.trailingActive) {
      if (isBuy ? price > order.activationPriceTicks : price < order.activationPriceTicks) continue;
      order.trailingActive = true;
      order.trailingExtremeTicks = price;
    }
    if (isBuy ? price < order.trailingExtremeTicks : price > order.trailingExtremeTicks) order.trailingExtremeTicks = price;
    const extreme = order.trailingExtremeTicks;
    const fires = isBuy ? price * BPS_ONE >= extreme * (BPS_ONE + order.callbackRateBps)
      : price * BPS_ONE <= extreme * (BPS_ONE - order.callbackRateBps);
    if (fires) {
      market.trailing.splice(market.trailing.indexOf(order), 1);
      fired.push(order);
    }
  }
  return fired;
}

function withinTriggerProtect(market: RefMarket): boolean {
  const mark = BigInt(market.markTicks);
  const last = BigInt(market.lastTicks > 0 ? market.lastTicks : market.markTicks);
  const gap = mark > last ? mark - last : last - mark;
  return gap * ONE_E8 <= mark * market.instrument.triggerProtectE8;
}

function fire(state: RefState, market: RefMarket, order: RefOrder, atMs: number): void {
  order.triggered = true;
  order.updatedAtMs = atMs;
  emitOrderUpdate(state, order, 'TRIGGERED', 'NONE');
  const account = accountOf(state, order.accountId);
  const position = positionOf(state, account, market.index);
  const problem = sendToBook(state, account, market, position, order, order.timeInForce, atMs, true);
  if (problem !== undefined) endLiveOrder(state, order, 'EXPIRED', 'EXPIRED', 'TRIGGER_REJECTED', atMs);
}
