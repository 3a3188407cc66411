/**
 * @module engine/settle
 * The end-of-step risk pass, run after every command and after every clock instant until nothing
 * changes: contract-price triggers for markets whose last price moved, reduce-only reconciliation
 * and liquidation-index refresh for every touched account, a sponsored account's loss limits, and an
 * exact maintenance check of each.
 * Liquidations touch more accounts and move prices, so the pass loops (bounded by
 * limits.maxCascadeRounds): this is how a cascade runs inside one command.
 */
import { assert } from '../assert.js';
import { BUY } from '../book/types.js';
import type { EngineContext } from './context.js';
import { drainCopyWork } from './copy.js';
import { checkAccountRisk } from './liquidation.js';
import { liquidationPrice, fractionToTicks } from './margin.js';
import { computeCross, crossBackingE8 } from './metrics.js';
import { endLiveOrder } from './order-lifecycle.js';
import { checkSponsorship } from './sponsor.js';
import { processTriggers } from './triggers.js';
import type { Account, Market, OrderRecord, Position } from './state.js';
import { RATE_ONE } from '../instrument/units.js';
import { divFloor } from '../num/int.js';

export function settle(ctx: EngineContext, atMs: number): void {
  for (let round = 0; ; round++) {
    assert(round < ctx.limits.maxCascadeRounds, 'cascade settles within limits.maxCascadeRounds');
    let progressed = false;
    for (const market of ctx.markets) {
      if (market.lastTicks > 0 && market.lastTicks !== market.lastTriggerCheckTicks) {
        market.lastTriggerCheckTicks = market.lastTicks;
        processTriggers(ctx, market, false, atMs);
        progressed = true;
      }
    }
    if (ctx.touched.length > 0) {
      progressed = true;
      const batch = ctx.touched.slice();
      ctx.resetTouched();
      for (const account of batch) reconcileReduceOnly(ctx, account, atMs);
      for (const account of batch) {
        // A sponsored account's loss limits before its maintenance check: a breach closes out
        // without a liquidation fee; what it cannot close is still liquidated below if due.
        if (account.sponsorship !== undefined) checkSponsorship(ctx, account, atMs);
        // The exact check first: an account it liquidates needs no new index keys (its closed
        // positions leave the index; a partial remainder was touched again and is re-filed in
        // the next round).
        checkAccountRisk(ctx, account, atMs);
        refreshLiquidationKeys(ctx, account);
        clearNegativeBalance(ctx, account);
      }
    }
    // Deferred work: followers copy what their leads did, once the leads' orders are done.
    if (ctx.copy.pending.length > 0) {
      progressed = true;
      drainCopyWork(ctx, atMs);
    }
    if (!progressed) return;
  }
}

/**
 * Keeps resting reduce-only orders able only to reduce: orders on the side that would increase
 * the position end, and on the reducing side the lowest-priority ones end until their total fits
 * the position (Binance expire reason 4, "knocked out by higher-priority reduce-only").
 */
function reconcileReduceOnly(ctx: EngineContext, account: Account, atMs: number): void {
  if (account.reduceOnlyOrders === 0) return;
  let candidates: OrderRecord[] | undefined;
  for (const order of account.orders.values()) {
    if (order.reduceOnly && order.resting && order.origin !== 'LIQUIDATION') (candidates ??= []).push(order);
  }
  if (candidates === undefined) return;
  for (const position of account.positions.values()) {
    const size = position.sizeLots;
    const orders = candidates.filter((order) => order.market === position.market);
    if (orders.length === 0) continue;
    // Priority order on the reducing side: better price first, then earlier id.
    orders.sort((a, b) => a.priceTicks === b.priceTicks ? a.orderId - b.orderId
      : (a.side === BUY ? b.priceTicks - a.priceTicks : a.priceTicks - b.priceTicks));
    let capacity = size > 0 ? size : -size;
    for (const order of orders) {
      const reduces = order.side === BUY ? size < 0 : size > 0;
      if (reduces && order.remainingLots <= capacity) {
        capacity -= order.remainingLots;
        continue;
      }
      endLiveOrder(ctx, order, 'EXPIRED', 'EXPIRED', 'REDUCE_ONLY', atMs);
    }
  }
}

/**
 * Backstop: an account left with a negative cross wallet and no cross position (nothing left to
 * liquidate) has its deficit cleared by the insurance fund (Binance INSURANCE_CLEAR), as far as
 * the fund reaches. Closing orders are capped at the bankruptcy price, so this needs a mark that
 * lagged the book by more than the whole margin.
 */
function clearNegativeBalance(ctx: EngineContext, account: Account): void {
  if (account.crossPositionCount > 0 || account.crossWalletE8 >= 0n || ctx.insuranceFundE8 === 0n) return;
  const deficit = -account.crossWalletE8;
  const pay = ctx.insuranceFundE8 < deficit ? ctx.insuranceFundE8 : deficit;
  ctx.changeInsurance(-pay, 'DEFICIT', '', account.accountId);
  ctx.changeCrossWallet(account, pay, 'INSURANCE_CLEAR', '', 0);
}

/**
 * Re-files every open position of the account in its market's liquidation index: isolated and
 * single-symbol cross positions under their exact liquidation price (rounded toward triggering
 * earlier); positions of an account with cross positions in several symbols under a safety band:
 * the account's slack (margin balance − maintenance) is split evenly among its cross positions and
 * each is filed where an adverse move would use up its share, valuing the move at
 * |size| × (1 + the highest bracket MMR) per tick, which bounds both the PnL and the maintenance
 * change. The sum of the shares is the slack, so the account cannot reach maintenance before some
 * mark crosses its band.
 */
export function refreshLiquidationKeys(ctx: EngineContext, account: Account): void {
  let slack = -1n;
  if (account.crossPositionCount >= 2) {
    const totals = computeCross(ctx, account, ctx.scratch.bandTotals);
    slack = totals.marginBalanceE8 - totals.maintenanceE8;
  }
  for (const position of account.positions.values()) {
    if (position.sizeLots === 0) continue;
    const market = ctx.markets[position.market]!;
    const isLong = position.sizeLots > 0;
    if (!position.isolated && account.crossPositionCount >= 2) {
      market.liquidations.upsert(position, isLong, bandKey(market, position, slack, account.crossPositionCount));
      continue;
    }
    const backing = position.isolated ? position.isolatedWalletE8 : crossBackingE8(ctx, account, position);
    const price = liquidationPrice(market.instrument, position.sizeLots, position.costE8, backing);
    if (price === undefined) {
      market.liquidations.remove(position);
      continue;
    }
    market.liquidations.upsert(position, isLong, fractionToTicks(price, isLong ? 'up' : 'down'));
  }
}

function bandKey(market: Market, position: Position, slack: bigint, positions: number): number {
  const mark = market.markTicks;
  if (slack <= 0n) return mark;
  const instrument = market.instrument;
  const topMmr = instrument.brackets[instrument.brackets.length - 1]!.mmrE8;
  const absSize = BigInt(position.sizeLots < 0 ? -position.sizeLots : position.sizeLots);
  const perTick = absSize * instrument.quotePerTickLotE8 * (RATE_ONE + topMmr);
  const ticks = divFloor((slack / BigInt(positions)) * RATE_ONE, perTick);
  const room = ticks > BigInt(instrument.maxPriceTicks) ? instrument.maxPriceTicks : Number(ticks);
  return position.sizeLots > 0 ? mark - room : mark + room;
}
