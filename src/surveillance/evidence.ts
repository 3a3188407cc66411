/**
 * @module surveillance/evidence
 * An order view as it appears in an alert's evidence and in the suspicious-order report: decimal
 * strings in the instrument's units, times in ms.
 */
import type { Instrument, OrderView } from '../core/index.js';
import { price, qty } from '../api/format.js';
import type { EvidenceOrder } from './alert.js';

export function evidenceOrder(instrument: Instrument, order: OrderView): EvidenceOrder {
  return {
    orderId: order.orderId, accountId: order.accountId, symbol: order.symbol, side: order.side, type: order.orderType,
    timeInForce: order.timeInForce, price: price(instrument, order.priceTicks), qty: qty(instrument, order.origQtyLots),
    executedQty: qty(instrument, order.executedQtyLots), status: order.status, createdAtMs: order.createdAtMs, updatedAtMs: order.updatedAtMs,
  };
}
