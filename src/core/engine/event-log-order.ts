/**
 * @module engine/event-log-order
 * The event log's form of an order view (the `order` field of OrderUpdate): written straight from
 * the live OrderRecord, its enums and flags packed into one number. The fields that never change
 * after creation are packed once per order and cached on the record (`eventBits`), because an
 * order is written again at every fill.
 */
import { BUY } from '../book/types.js';
import { ORDER_ORIGINS, ORDER_STATUSES, ORDER_TYPES, STP_MODES, TIME_IN_FORCE, WORKING_TYPES } from '../schema/enums.js';
import { codeOf, nameOf, type ChunkCursor, type EventBuffer } from './event-buffer.js';
import type { OrderView } from './generated/events.js';
import type { OrderRecord } from './state.js';

// Bit layout of the packed number (< 2^31).
const PACK_SIDE = 1;
const PACK_REDUCE_ONLY = 2;
const PACK_CLOSE_POSITION = 4;
const PACK_PRICE_PROTECT = 8;
const PACK_CONDITIONAL = 16;
const PACK_TRIGGERED = 32;
const PACK_TYPE_SHIFT = 8;
const PACK_TIF_SHIFT = 12;
const PACK_WORKING_SHIFT = 16;
const PACK_STP_SHIFT = 18;
const PACK_STATUS_SHIFT = 21;
const PACK_ORIGIN_SHIFT = 24;

/** The packed bits of an order's fields that never change after creation. */
function fixedOrderBits(order: OrderRecord): number {
  return (order.side === BUY ? 0 : PACK_SIDE) | (order.reduceOnly ? PACK_REDUCE_ONLY : 0) |
    (order.closePosition ? PACK_CLOSE_POSITION : 0) | (order.priceProtect ? PACK_PRICE_PROTECT : 0) |
    (order.conditional ? PACK_CONDITIONAL : 0) | (codeOf(ORDER_ORIGINS, order.origin) << PACK_ORIGIN_SHIFT) |
    (codeOf(ORDER_TYPES, order.orderType) << PACK_TYPE_SHIFT) | (codeOf(TIME_IN_FORCE, order.timeInForce) << PACK_TIF_SHIFT) |
    (codeOf(WORKING_TYPES, order.workingType) << PACK_WORKING_SHIFT) | (codeOf(STP_MODES, order.stpMode) << PACK_STP_SHIFT);
}

/** 13 numbers, 1 money value, 1 string. */
export function writeOrderView(log: EventBuffer, order: OrderRecord): void {
  log.num(order.orderId);
  log.num(order.accountId);
  log.num(order.market);
  log.str(order.clientOrderId);
  let fixed = order.eventBits;
  if (fixed < 0) fixed = order.eventBits = fixedOrderBits(order);
  log.num(fixed | (order.triggered ? PACK_TRIGGERED : 0) | (codeOf(ORDER_STATUSES, order.status) << PACK_STATUS_SHIFT));
  log.num(order.origQtyLots);
  log.num(order.executedQtyLots);
  log.big(order.cumQuoteE8);
  log.num(order.priceTicks);
  log.num(order.stopPriceTicks);
  log.num(order.activationPriceTicks);
  log.num(order.callbackRateBps);
  log.num(order.createdAtMs);
  log.num(order.updatedAtMs);
  log.num(order.causeId);
}

export function readOrderView(c: ChunkCursor): OrderView {
  const orderId = c.num();
  const accountId = c.num();
  const symbol = c.symbol();
  const clientOrderId = c.str();
  const packed = c.num();
  const origQtyLots = c.num();
  const executedQtyLots = c.num();
  const cumQuoteE8 = c.big();
  const priceTicks = c.num();
  const stopPriceTicks = c.num();
  const activationPriceTicks = c.num();
  const callbackRateBps = c.num();
  const createdAtMs = c.num();
  const updatedAtMs = c.num();
  const causeId = c.num();
  return {
    orderId, accountId, symbol, clientOrderId,
    side: (packed & PACK_SIDE) === 0 ? 'BUY' : 'SELL',
    orderType: nameOf(ORDER_TYPES, (packed >> PACK_TYPE_SHIFT) & 15),
    timeInForce: nameOf(TIME_IN_FORCE, (packed >> PACK_TIF_SHIFT) & 15),
    origQtyLots, executedQtyLots, cumQuoteE8, priceTicks, stopPriceTicks, activationPriceTicks, callbackRateBps,
    reduceOnly: (packed & PACK_REDUCE_ONLY) !== 0,
    closePosition: (packed & PACK_CLOSE_POSITION) !== 0,
    workingType: nameOf(WORKING_TYPES, (packed >> PACK_WORKING_SHIFT) & 3),
    priceProtect: (packed & PACK_PRICE_PROTECT) !== 0,
    stpMode: nameOf(STP_MODES, (packed >> PACK_STP_SHIFT) & 7),
    status: nameOf(ORDER_STATUSES, (packed >> PACK_STATUS_SHIFT) & 7),
    conditional: (packed & PACK_CONDITIONAL) !== 0,
    triggered: (packed & PACK_TRIGGERED) !== 0,
    createdAtMs, updatedAtMs,
    origin: nameOf(ORDER_ORIGINS, (packed >> PACK_ORIGIN_SHIFT) & 7),
    causeId,
  };
}
