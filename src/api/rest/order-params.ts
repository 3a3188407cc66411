/**
 * @module api/rest/order-params
 * Binance order parameters → PlaceOrder commands. Syntax and units are checked here (every error
 * before the venue, so a malformed request never reaches the engine); business rules (filters,
 * margin, reduce-only, triggers) are the engine's, whose rejects carry the same Binance codes.
 */
import { randomBytes } from 'node:crypto';
import type {
  Instrument, OrderSideName, OrderTypeName, PlaceOrderCommand, StpModeName, TimeInForceName, WorkingTypeName,
} from '../../core/index.js';
import { ApiError, E } from '../errors.js';
import type { Params } from '../params.js';

export const SIDES: readonly OrderSideName[] = ['BUY', 'SELL'];
export const ORDER_TYPES: readonly OrderTypeName[] = [
  'LIMIT', 'MARKET', 'STOP', 'STOP_MARKET', 'TAKE_PROFIT', 'TAKE_PROFIT_MARKET', 'TRAILING_STOP_MARKET',
];
export const CONDITIONAL_TYPES: readonly OrderTypeName[] = [
  'STOP', 'STOP_MARKET', 'TAKE_PROFIT', 'TAKE_PROFIT_MARKET', 'TRAILING_STOP_MARKET',
];
const TIFS: readonly (TimeInForceName | 'GTD')[] = ['GTC', 'IOC', 'FOK', 'GTX', 'GTD'];
const WORKING: readonly WorkingTypeName[] = ['MARK_PRICE', 'CONTRACT_PRICE'];
const STP: readonly StpModeName[] = ['NONE', 'EXPIRE_TAKER', 'EXPIRE_MAKER', 'EXPIRE_BOTH'];
export const CLIENT_ID_RE = /^[.A-Z:/a-z0-9_-]{1,36}$/;

export type PlaceOrderFields = Omit<PlaceOrderCommand, 'seq' | 'atMs' | 'type'>;

/** Binance-style generated client id (only when the client sent none; no idempotency then). */
export function generatedClientId(): string {
  return `perpx${randomBytes(11).toString('hex')}`;
}

/**
 * An order endpoint's vocabulary — /order (clientId newClientOrderId, trigger stopPrice,
 * activationPrice) or /algoOrder (clientAlgoId, triggerPrice, activatePrice) — and its default
 * self-trade prevention mode: Binance's is EXPIRE_MAKER for /fapi/v1/order and batchOrders and NONE
 * for algo and test orders (../shared/reference/perp-mechanics.md). A conditional order sent to
 * /order (where Binance now answers -4120) is an algo order and gets NONE.
 */
export interface OrderEndpoint {
  readonly clientId: string;
  readonly trigger: string;
  readonly activation: string;
  readonly defaultStp: StpModeName;
}

export const ORDER_ENDPOINT: OrderEndpoint = { clientId: 'newClientOrderId', trigger: 'stopPrice', activation: 'activationPrice',
  defaultStp: 'EXPIRE_MAKER' };
export const TEST_ORDER_ENDPOINT: OrderEndpoint = { ...ORDER_ENDPOINT, defaultStp: 'NONE' };
export const ALGO_ENDPOINT: OrderEndpoint = { clientId: 'clientAlgoId', trigger: 'triggerPrice', activation: 'activatePrice',
  defaultStp: 'NONE' };

/** Parses an order as `endpoint` names its fields. */
export function parseOrder(params: Params, instrument: Instrument, accountId: number,
  names: OrderEndpoint): { fields: PlaceOrderFields; clientSupplied: boolean } {
  const side = params.enumOf('side', SIDES, E.badSide, true);
  const orderType = params.enumOf('type', ORDER_TYPES, E.badType, true);
  checkPositionSide(params);
  const tifParam = params.enumOf('timeInForce', TIFS, E.badTif);
  if (tifParam === 'GTD') throw E.badTif();
  if (orderType === 'LIMIT' && tifParam === undefined) throw E.mandatory('timeInForce');
  const timeInForce: TimeInForceName = tifParam ?? 'GTC';
  const closePosition = params.bool('closePosition') ?? false;
  const quantity = params.units('quantity', instrument.lot);
  if (quantity === undefined && !closePosition) throw E.mandatory('quantity');
  const priceTicks = params.units('price', instrument.tick) ?? 0;
  // Both names are parsed (a malformed value is an error even when the other name is present).
  const triggerTicks = params.units(names.trigger, instrument.tick);
  const stopPriceTicks = params.units('stopPrice', instrument.tick);
  const stopTicks = triggerTicks ?? stopPriceTicks ?? 0;
  const activationTicks = params.units(names.activation, instrument.tick) ?? 0;
  const callback = params.scaled('callbackRate', 2);
  if (callback !== undefined && callback > 10_000n) throw E.illegalValue('callbackRate', 'too large');
  const priceMatch = params.optional('priceMatch');
  if (priceMatch !== undefined && priceMatch !== 'NONE') throw E.illegalValue('priceMatch', 'only NONE is supported');
  const respType = params.optional('newOrderRespType');
  if (respType !== undefined && respType !== 'ACK' && respType !== 'RESULT') throw E.illegalValue('newOrderRespType');
  const supplied = params.optional(names.clientId);
  if (supplied !== undefined && !CLIENT_ID_RE.test(supplied)) throw E.illegalValue(names.clientId);
  if (params.has('goodTillDate')) params.uint('goodTillDate');
  return {
    clientSupplied: supplied !== undefined,
    fields: {
      accountId,
      symbol: instrument.symbol,
      side,
      orderType,
      timeInForce,
      qtyLots: quantity ?? 0,
      priceTicks,
      stopPriceTicks: stopTicks,
      activationPriceTicks: activationTicks,
      callbackRateBps: callback === undefined ? 0 : Number(callback),
      reduceOnly: params.bool('reduceOnly') ?? false,
      closePosition,
      workingType: params.enumOf('workingType', WORKING, () => E.illegalValue('workingType')) ?? 'CONTRACT_PRICE',
      priceProtect: params.bool('priceProtect') ?? false,
      stpMode: params.enumOf('selfTradePreventionMode', STP, () => E.illegalValue('selfTradePreventionMode')) ??
        (CONDITIONAL_TYPES.includes(orderType) ? 'NONE' : names.defaultStp),
      clientOrderId: supplied ?? generatedClientId(),
    },
  };
}

/** One-way mode only: positionSide must be absent or BOTH (-4061 otherwise, as Binance answers). */
export function checkPositionSide(params: Params): void {
  const value = params.optional('positionSide');
  if (value === undefined || value === 'BOTH') return;
  if (value === 'LONG' || value === 'SHORT') throw new ApiError(-4061, "Order's position side does not match user's setting.");
  throw E.illegalValue('positionSide');
}

