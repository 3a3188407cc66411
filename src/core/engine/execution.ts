/**
 * @module engine/execution
 * Sends one taker order into a market's book and books the outcome: every fill becomes a Trade,
 * two OrderUpdates and two position updates (maker first, then taker, in match order); makers
 * expired by self-trade prevention or reduce-only caps end with EXPIRED; the taker remainder rests
 * (GTC/GTX) or expires (IOC, FOK, market). Fees: maker and taker rates of the symbol, rounded up;
 * a liquidation taker pays no trading fee (its liquidation fee is booked by the liquidation module).
 */
import { assert } from '../assert.js';
import {
  BUY, EVENT_FILL, FLAG_REDUCE_ONLY, MAKER_EXPIRE_STP, OUTCOME_ACCEPTED, STP_NONE, TAKER_EXPIRE_STP, TIF_IOC,
  type StpCode, type SubmitOutcome, type TimeInForceCode,
} from '../book/types.js';
import { RATE_ONE } from '../instrument/units.js';
import { divCeil } from '../num/int.js';
import type { EngineContext } from './context.js';
import type { OrderEndReason } from './events.js';
import {
  addLiveOrder, emitOrderUpdate, emitTradeUpdate, retireOrder,
} from './order-lifecycle.js';
import { refreshReservation, releaseOrder, reserveOrder } from './order-margin.js';
import { applyFill, positionOf } from './positions.js';
import type { Market, OrderRecord } from './state.js';

export interface TakerParams {
  readonly limitTicks: number;
  readonly qtyLots: number;
  readonly tif: TimeInForceCode;
  readonly stp: StpCode;
  /** Liquidation orders pay no trading fee and their trades are marked LIQUIDATION. */
  readonly liquidation: boolean;
  /** Reason recorded when an IOC remainder expires ('IOC' for limit IOC, 'MARKET_REMAINDER' for market). */
  readonly remainderReason: OrderEndReason;
}

export function executeTaker(
  ctx: EngineContext, market: Market, order: OrderRecord, params: TakerParams, atMs: number,
): SubmitOutcome {
  const book = market.book;
  const alreadyLive = order.live;
  ctx.matchingMarket = market.marketIndex;
  const outcome = book.submit(order.orderId, order.accountId, order.side, params.limitTicks, params.qtyLots,
    params.tif, params.stp, order.reduceOnly ? FLAG_REDUCE_ONLY : 0);
  ctx.matchingMarket = -1;
  const execution = ctx.scratch.execution;
  execution.filledLots = 0;
  execution.notionalE8 = 0n;
  if (outcome !== OUTCOME_ACCEPTED) return outcome;
  order.updatedAtMs = atMs;
  if (!alreadyLive) emitOrderUpdate(ctx, order, 'NEW', 'NONE');
  const events = book.events;
  for (let i = 0; i < events.count; i++) {
    const maker = ctx.liveOrders.get(events.makerOrderId[i]!);
    assert(maker !== undefined && maker.resting, 'book events name a resting live order');
    if (events.kind[i] === EVENT_FILL) {
      bookFill(ctx, market, maker, order, events.priceTicks[i]!, events.qtyLots[i]!, events.makerRemainingLots[i]!,
        params.liquidation, atMs);
    } else {
      expireMaker(ctx, maker, events.reason[i] === MAKER_EXPIRE_STP ? 'STP' : 'REDUCE_ONLY', atMs);
    }
  }
  const account = ctx.account(order.accountId);
  if (book.lastRestingLots > 0) {
    assert(book.lastRestingLots === order.remainingLots, 'resting remainder agrees with the order record');
    if (!alreadyLive) addLiveOrder(ctx, account, order);
    order.resting = true;
    reserveOrder(positionOf(ctx, account, order.market), order);
    // A resting reduce-only order may oversubscribe the position with the account's others: the risk
    // pass reconciles now, not at whatever later touch happens to come (that made a restored engine,
    // whose index touches at other times, answer differently).
    if (order.reduceOnly) ctx.touch(account);
  } else if (book.lastExpiredLots > 0) {
    order.status = order.executedQtyLots > 0 && book.lastTakerExpireReason === TAKER_EXPIRE_STP
      ? 'EXPIRED_IN_MATCH' : 'EXPIRED';
    const reason: OrderEndReason = book.lastTakerExpireReason === TAKER_EXPIRE_STP ? 'STP' : params.remainderReason;
    retireOrder(ctx, order);
    emitOrderUpdate(ctx, order, 'EXPIRED', reason);
  } else {
    assert(order.remainingLots === 0 && order.status === 'FILLED', 'a fully matched taker is filled');
    retireOrder(ctx, order);
  }
  return outcome;
}

/**
 * A copy sweep: one engine-made IOC order that takes the total of every follower's share of a
 * lead's trade from the book (copy-sweep.ts allocates it). Makers are booked as for any taker; the
 * taker side belongs to no account: it is counted (execution scratch: filled lots and notional) and
 * handed to the followers, who pay the taker fee on their shares.
 */
export function executeSweep(ctx: EngineContext, market: Market, order: OrderRecord, limitTicks: number, atMs: number): void {
  const book = market.book;
  ctx.matchingMarket = market.marketIndex;
  const outcome = book.submit(order.orderId, SWEEP_OWNER, order.side, limitTicks, order.remainingLots, TIF_IOC, STP_NONE, 0);
  ctx.matchingMarket = -1;
  const execution = ctx.scratch.execution;
  execution.filledLots = 0;
  execution.notionalE8 = 0n;
  assert(outcome === OUTCOME_ACCEPTED, 'an IOC sweep is always accepted');
  const events = book.events;
  for (let i = 0; i < events.count; i++) {
    const maker = ctx.liveOrders.get(events.makerOrderId[i]!);
    assert(maker !== undefined && maker.resting, 'book events name a resting live order');
    if (events.kind[i] === EVENT_FILL) {
      bookFill(ctx, market, maker, order, events.priceTicks[i]!, events.qtyLots[i]!, events.makerRemainingLots[i]!,
        false, atMs, true);
    } else {
      expireMaker(ctx, maker, events.reason[i] === MAKER_EXPIRE_STP ? 'STP' : 'REDUCE_ONLY', atMs);
    }
  }
  assert(book.lastRestingLots === 0, 'a sweep never rests');
}

/** The book owner id of a copy sweep: no account has it (account ids start at 1). */
export const SWEEP_OWNER = 0;

function bookFill(
  ctx: EngineContext, market: Market, maker: OrderRecord, taker: OrderRecord, priceTicks: number, qtyLots: number,
  makerRemainingLots: number, liquidation: boolean, atMs: number, sweep = false,
): void {
  const instrument = market.instrument;
  const tradeId = market.nextTradeId++;
  const notional = BigInt(priceTicks) * BigInt(qtyLots) * instrument.quotePerTickLotE8;
  const makerFee = divCeil(notional * instrument.makerFeeE8, RATE_ONE);
  const takerFee = liquidation || sweep ? 0n : divCeil(notional * instrument.takerFeeE8, RATE_ONE);
  const makerAccount = ctx.account(maker.accountId);
  // Maker side.
  const makerBefore = maker.remainingLots;
  maker.executedQtyLots += qtyLots;
  maker.cumQuoteE8 += notional;
  maker.updatedAtMs = atMs;
  assert(maker.remainingLots === makerRemainingLots, 'maker remaining agrees with the book');
  maker.status = makerRemainingLots === 0 ? 'FILLED' : 'PARTIALLY_FILLED';
  const makerPosition = positionOf(ctx, makerAccount, maker.market);
  if (makerRemainingLots === 0) {
    releaseOrder(makerPosition, maker, makerBefore);
    maker.resting = false;
  } else {
    refreshReservation(makerPosition, maker, makerBefore);
  }
  const makerSigned = maker.side === BUY ? qtyLots : -qtyLots;
  const makerPnl = applyFill(ctx, makerAccount, market, makerSigned, priceTicks, makerFee, tradeId, atMs,
    'REALIZED_PNL');
  if (makerRemainingLots === 0) retireOrder(ctx, maker);
  emitTradeUpdate(ctx, maker, tradeId, qtyLots, priceTicks, true, makerFee, makerPnl);
  // Taker side.
  taker.executedQtyLots += qtyLots;
  taker.cumQuoteE8 += notional;
  taker.updatedAtMs = atMs;
  taker.status = taker.remainingLots === 0 ? 'FILLED' : 'PARTIALLY_FILLED';
  if (!sweep) {
    const takerPnl = applyFill(ctx, ctx.account(taker.accountId), market, -makerSigned, priceTicks, takerFee, tradeId, atMs,
      'REALIZED_PNL');
    emitTradeUpdate(ctx, taker, tradeId, qtyLots, priceTicks, false, takerFee, takerPnl);
  }
  market.lastTicks = priceTicks;
  const execution = ctx.scratch.execution;
  execution.filledLots += qtyLots;
  execution.notionalE8 += notional;
  ctx.log.trade(market.marketIndex, tradeId, priceTicks, qtyLots, taker.side === BUY ? 'BUY' : 'SELL', maker.orderId,
    taker.orderId, maker.accountId, taker.accountId, makerFee, takerFee, liquidation ? 'LIQUIDATION' : 'NORMAL', atMs);
}

function expireMaker(ctx: EngineContext, maker: OrderRecord, reason: OrderEndReason, atMs: number): void {
  // The book already removed it; release what the record still holds.
  const account = ctx.account(maker.accountId);
  releaseOrder(positionOf(ctx, account, maker.market), maker, maker.remainingLots);
  maker.resting = false;
  maker.status = 'EXPIRED';
  maker.updatedAtMs = atMs;
  retireOrder(ctx, maker);
  emitOrderUpdate(ctx, maker, 'EXPIRED', reason);
}
