/**
 * An order's life (live from acceptance until FILLED, CANCELED or EXPIRED) and one taker order
 * against the book. The reference book (src/core/book/reference-book.ts) does the matching; this
 * books its outcome: each fill is two position updates, two OrderUpdates and a Trade (maker
 * first, then taker, in match order), makers expired by self-trade prevention or reduce-only caps
 * end EXPIRED, and the taker remainder rests (GTC/GTX) or expires.
 */
import {
  BUY, EVENT_FILL, FLAG_REDUCE_ONLY, MAKER_EXPIRE_STP, OUTCOME_ACCEPTED, SELL, STP_EXPIRE_BOTH, STP_EXPIRE_MAKER,
  STP_EXPIRE_TAKER, STP_NONE, TAKER_EXPIRE_STP, TIF_FOK, TIF_GTC, TIF_GTX, TIF_IOC,
  type StpCode, type SubmitOutcome, type TimeInForceCode,
} from '../../../src/core/book/types.js';
import type { StpModeName, TimeInForceName } from '../../../src/core/engine/commands.js';
import type { ExecutionTypeName, OrderEndReason, OrderStatusName } from '../../../src/core/engine/events.js';
import { divCeil } from '../../../src/core/num/int.js';
import { emitOrderUpdate, emitTrade, emitTradeUpdate } from './events.js';
import { applyFill } from './fills.js';
import { touch } from './ledger.js';
import { ONE_E8 } from './formulas.js';
import { accountOf, positionOf, type RefAccount, type RefMarket, type RefOrder, type RefState } from './state.js';

export function bookTif(tif: TimeInForceName): TimeInForceCode {
  return tif === 'GTC' ? TIF_GTC : tif === 'IOC' ? TIF_IOC : tif === 'FOK' ? TIF_FOK : TIF_GTX;
}

export function bookStp(stp: StpModeName): StpCode {
  return stp === 'NONE' ? STP_NONE : stp === 'EXPIRE_TAKER' ? STP_EXPIRE_TAKER
    : stp === 'EXPIRE_MAKER' ? STP_EXPIRE_MAKER : STP_EXPIRE_BOTH;
}

export function addLiveOrder(state: RefState, account: RefAccount, order: RefOrder): void {
  order.live = true;
  account.orders.push(order);
  state.liveOrders.set(order.orderId, order);
  positionOf(state, account, order.market);
}

function removeLiveOrder(state: RefState, order: RefOrder): void {
  const account = accountOf(state, order.accountId);
  order.live = false;
  account.orders.splice(account.orders.indexOf(order), 1);
  state.liveOrders.delete(order.orderId);
}

/** Ends a live order: out of the book or off its trigger, out of the live set, final OrderUpdate. */
export function endLiveOrder(state: RefState, order: RefOrder, status: OrderStatusName, execution: ExecutionTypeName,
  reason: OrderEndReason, atMs: number): void {
  const market = state.markets[order.market]!;
  if (order.resting) {
    market.book.cancel(order.orderId);
    order.resting = false;
  } else if (order.conditional && !order.triggered && order.orderType === 'TRAILING_STOP_MARKET') {
    market.trailing.splice(market.trailing.indexOf(order), 1);
  }
  removeLiveOrder(state, order);
  order.status = status;
  order.updatedAtMs = atMs;
  emitOrderUpdate(state, order, execution, reason);
}

export interface TakerParams {
  readonly limitTicks: number;
  readonly qtyLots: number;
  readonly tif: TimeInForceCode;
  readonly stp: StpCode;
  /** Liquidation orders pay no trading fee and their trades are LIQUIDATION. */
  readonly liquidation: boolean;
  readonly remainderReason: OrderEndReason;
}

export interface TakerResult {
  readonly outcome: SubmitOutcome;
  readonly filledLots: number;
  readonly notionalE8: bigint;
}

export function executeTaker(state: RefState, market: RefMarket, order: RefOrder, params: TakerParams, atMs: number):
  TakerResult {
  const book = market.book;
  const alreadyLive = order.live;
  const outcome = book.submit(order.orderId, order.accountId, order.side === 'BUY' ? BUY : SELL, params.limitTicks,
    params.qtyLots, params.tif, params.stp, order.reduceOnly ? FLAG_REDUCE_ONLY : 0);
  if (outcome !== OUTCOME_ACCEPTED) return { outcome, filledLots: 0, notionalE8: 0n };
  order.updatedAtMs = atMs;
  if (!alreadyLive) emitOrderUpdate(state, order, 'NEW', 'NONE');
  // Copy the book's outcome first: booking fills does not touch the book, but stay independent of that.
  const events = book.events;
  const fills: { makerOrderId: number; kind: number; reason: number; priceTicks: number; qtyLots: number }[] = [];
  for (let i = 0; i < events.count; i++) {
    fills.push({ makerOrderId: events.makerOrderId[i]!, kind: events.kind[i]!, reason: events.reason[i]!,
      priceTicks: events.priceTicks[i]!, qtyLots: events.qtyLots[i]! });
  }
  const resting = book.lastRestingLots;
  const expired = book.lastExpiredLots;
  const takerExpireReason = book.lastTakerExpireReason;
  let filledLots = 0;
  let notionalE8 = 0n;
  for (const fill of fills) {
    const maker = state.liveOrders.get(fill.makerOrderId)!;
    if (fill.kind === EVENT_FILL) {
      notionalE8 += bookFill(state, market, maker, order, fill.priceTicks, fill.qtyLots, params.liquidation, atMs);
      filledLots += fill.qtyLots;
    } else {
      expireMaker(state, maker, fill.reason === MAKER_EXPIRE_STP ? 'STP' : 'REDUCE_ONLY', atMs);
    }
  }
  if (resting > 0) {
    if (!alreadyLive) addLiveOrder(state, accountOf(state, order.accountId), order);
    order.resting = true;
    // Reduce-only orders are reconciled as soon as one rests (it may oversubscribe the position).
    if (order.reduceOnly) touch(state, accountOf(state, order.accountId));
  } else if (expired > 0) {
    const stp = takerExpireReason === TAKER_EXPIRE_STP;
    order.status = order.executedQtyLots > 0 && stp ? 'EXPIRED_IN_MATCH' : 'EXPIRED';
    if (order.live) removeLiveOrder(state, order);
    emitOrderUpdate(state, order, 'EXPIRED', stp ? 'STP' : params.remainderReason);
  } else if (order.live) {
    removeLiveOrder(state, order);
  }
  return { outcome, filledLots, notionalE8 };
}

/** One fill: fees (rounded up; none for a liquidation taker), both positions, both order updates, the trade. */
function bookFill(state: RefState, market: RefMarket, maker: RefOrder, taker: RefOrder, priceTicks: number,
  qtyLots: number, liquidation: boolean, atMs: number): bigint {
  const instrument = market.instrument;
  const tradeId = market.nextTradeId++;
  const notionalE8 = BigInt(priceTicks) * BigInt(qtyLots) * instrument.quotePerTickLotE8;
  const makerFee = divCeil(notionalE8 * instrument.makerFeeE8, ONE_E8);
  const takerFee = liquidation ? 0n : divCeil(notionalE8 * instrument.takerFeeE8, ONE_E8);
  maker.executedQtyLots += qtyLots;
  maker.cumQuoteE8 += notionalE8;
  maker.updatedAtMs = atMs;
  const makerDone = maker.executedQtyLots === maker.origQtyLots;
  maker.status = makerDone ? 'FILLED' : 'PARTIALLY_FILLED';
  if (makerDone) maker.resting = false;
  const makerSigned = maker.side === 'BUY' ? qtyLots : -qtyLots;
  const makerPnl = applyFill(state, accountOf(state, maker.accountId), market, makerSigned, priceTicks, makerFee, tradeId,
    atMs, 'REALIZED_PNL');
  if (makerDone) removeLiveOrder(state, maker);
  emitTradeUpdate(state, maker, { tradeId, qtyLots, priceTicks, maker: true, feeE8: makerFee, realizedPnlE8: makerPnl });
  taker.executedQtyLots += qtyLots;
  taker.cumQuoteE8 += notionalE8;
  taker.updatedAtMs = atMs;
  taker.status = taker.executedQtyLots === taker.origQtyLots ? 'FILLED' : 'PARTIALLY_FILLED';
  const takerPnl = applyFill(state, accountOf(state, taker.accountId), market, -makerSigned, priceTicks, takerFee, tradeId,
    atMs, 'REALIZED_PNL');
  emitTradeUpdate(state, taker, { tradeId, qtyLots, priceTicks, maker: false, feeE8: takerFee, realizedPnlE8: takerPnl });
  market.lastTicks = priceTicks;
  emitTrade(state, market.index, {
    tradeId, priceTicks, qtyLots, takerSide: taker.side, makerOrderId: maker.orderId, takerOrderId: taker.orderId,
    makerAccountId: maker.accountId, takerAccountId: taker.accountId, makerFeeE8: makerFee, takerFeeE8: takerFee,
    kind: liquidation ? 'LIQUIDATION' : 'NORMAL', atMs,
  });
  return notionalE8;
}

function expireMaker(state: RefState, maker: RefOrder, reason: OrderEndReason, atMs: number): void {
  // The book already removed it from its level.
  maker.resting = false;
  maker.status = 'EXPIRED';
  maker.updatedAtMs = atMs;
  removeLiveOrder(state, maker);
  emitOrderUpdate(state, maker, 'EXPIRED', reason);
}
