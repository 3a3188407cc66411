/**
 * @module engine/triggers
 * Fires conditional orders when their working price moves: stop / take-profit orders from the
 * trigger index, trailing stops by their callback from the best price since activation. A fired
 * order becomes a regular order with the same id (TRIGGERED), is re-checked like a new order
 * (reduce-only clip, bands, margin) and meets the book; if a check fails it ends EXPIRED with
 * reason TRIGGER_REJECTED (Binance CONDITIONAL_ORDER_TRIGGER_REJECT).
 */
import { BUY } from '../book/types.js';
import { RATE_ONE } from '../instrument/units.js';
import type { EngineContext } from './context.js';
import { endLiveOrder, markTriggered } from './order-lifecycle.js';
import { sendImmediate } from './place-order.js';
import { admitOrder } from './policy.js';
import { positionOf } from './positions.js';
import type { Market, OrderRecord } from './state.js';

const BPS_ONE = 10_000;

/** Fires everything due at the market's current mark (usesMark) or last price. */
export function processTriggers(ctx: EngineContext, market: Market, usesMark: boolean, atMs: number): void {
  const price = usesMark ? market.markTicks : market.lastTicks;
  if (price <= 0) return;
  const fired = ctx.scratch.fired;
  const start = fired.length;
  market.triggers.collectFired(usesMark, price, fired);
  collectTrailing(market, usesMark, price, fired);
  const batch = fired.splice(start, fired.length - start);
  for (const order of batch) {
    if (!order.live) continue;
    if (order.priceProtect && !withinTriggerProtect(market)) {
      // Binance priceProtect: the trigger waits while mark and last disagree by more than allowed.
      market.triggers.add(order);
      continue;
    }
    fire(ctx, market, order, atMs);
  }
}

function fire(ctx: EngineContext, market: Market, order: OrderRecord, atMs: number): void {
  markTriggered(ctx, order, atMs);
  const account = ctx.account(order.accountId);
  const position = positionOf(ctx, account, market.marketIndex);
  // The gate again, as for every order: a standing change ends the orders it refuses (policy.ts),
  // so this refuses nothing today, but a triggered order must never depend on that bookkeeping.
  const problem = admitOrder(ctx, account, position, order.reduceOnly || order.closePosition) ??
    sendImmediate(ctx, account, market, position, order, order.timeInForce, atMs, true);
  if (problem !== undefined) endLiveOrder(ctx, order, 'EXPIRED', 'EXPIRED', 'TRIGGER_REJECTED', atMs);
}

function withinTriggerProtect(market: Market): boolean {
  const mark = BigInt(market.markTicks);
  const last = BigInt(market.lastTicks > 0 ? market.lastTicks : market.markTicks);
  const gap = mark > last ? mark - last : last - mark;
  return gap * RATE_ONE <= mark * market.instrument.triggerProtectE8;
}

/**
 * Trailing stops: a SELL activates once price ≥ activation (or at once without one), tracks the
 * highest price, and fires when price ≤ highest × (1 − callback); a BUY mirrors it with the lowest.
 */
function collectTrailing(market: Market, usesMark: boolean, price: number, out: OrderRecord[]): void {
  const trailing = market.triggers.trailing;
  for (let i = 0; i < trailing.length; i++) {
    const order = trailing[i]!;
    if ((order.workingType === 'MARK_PRICE') !== usesMark) continue;
    const isBuy = order.side === BUY;
    if (!order.trailingActive) {
      const reached = isBuy ? price <= order.activationPriceTicks : price >= order.activationPriceTicks;
      if (!reached) continue;
      order.trailingActive = true;
      order.trailingExtremeTicks = price;
    }
    if (isBuy ? price < order.trailingExtremeTicks : price > order.trailingExtremeTicks) {
      order.trailingExtremeTicks = price;
    }
    const extreme = order.trailingExtremeTicks;
    const fires = isBuy
      ? price * BPS_ONE >= extreme * (BPS_ONE + order.callbackRateBps)
      : price * BPS_ONE <= extreme * (BPS_ONE - order.callbackRateBps);
    if (fires) {
      trailing.splice(i, 1);
      i--;
      out.push(order);
    }
  }
}
