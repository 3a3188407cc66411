/**
 * @module engine/engine-orders
 * The one way the engine makes an order on an account's behalf: a liquidation ("autoclose"), a
 * copied order of a lead's trade, a close-out by a rule. Each carries its origin and a reference to
 * what caused it; it takes the next order id; it is an IOC or market-like order that never rests,
 * so it leaves no live order behind. Its client id names the origin (Binance uses autoclose-<id>).
 */
import type { Side } from '../book/types.js';
import type { OrderOriginName } from '../schema/enums.js';
import type { EngineContext } from './context.js';
import { OrderRecord } from './state.js';

const CLIENT_ID_PREFIX: Readonly<Record<Exclude<OrderOriginName, 'USER'>, string>> = {
  LIQUIDATION: 'autoclose-',
  COPY: 'copy-',
  CLOSE_OUT: 'closeout-',
};

export interface EngineOrderRequest {
  readonly accountId: number;
  readonly market: number;
  readonly side: Side;
  readonly qtyLots: number;
  /** The worst price the order may trade at. */
  readonly limitTicks: number;
  readonly reduceOnly: boolean;
  readonly origin: Exclude<OrderOriginName, 'USER'>;
  /** What caused it (a copied trade's id, the liquidated account). */
  readonly causeId: number;
  readonly atMs: number;
}

/** An engine-made IOC limit order with the next order id (the caller sends it to the book). */
export function makeEngineOrder(ctx: EngineContext, request: EngineOrderRequest): OrderRecord {
  const orderId = ctx.nextOrderId++;
  return new OrderRecord({
    orderId, accountId: request.accountId, market: request.market,
    clientOrderId: CLIENT_ID_PREFIX[request.origin] + String(orderId), side: request.side, orderType: 'LIMIT',
    timeInForce: 'IOC', qtyLots: request.qtyLots, priceTicks: request.limitTicks, stopPriceTicks: 0, activationPriceTicks: 0,
    callbackRateBps: 0, reduceOnly: request.reduceOnly, closePosition: false, workingType: 'MARK_PRICE', priceProtect: false,
    stpMode: 'NONE', conditional: false, origin: request.origin, causeId: request.causeId, createdAtMs: request.atMs,
  });
}
