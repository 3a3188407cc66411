/**
 * @module api/rest/render
 * Binance USDⓈ-M JSON shapes for orders, algo orders, trades and positions. Decimal fields are
 * strings (Binance's types, which the binance SDK passes through untouched); ids and times are
 * numbers. Field sets follow ../shared/reference/binance-api-surface.md §2.
 */
import type { Instrument, OrderView, PositionRiskView } from '../../core/index.js';
import { averagePrice, fractionPrice, money, price, qty } from '../format.js';
import { breakEvenPrice, type OrderNotionals } from '../read-models/position-figures.js';

/** What a position row reports beside the engine's view: open-order notionals and the ADL quantile. */
export interface PositionExtras extends OrderNotionals {
  readonly adlQuantile: number;
}

export const NO_EXTRAS: PositionExtras = { bidE8: 0n, askE8: 0n, adlQuantile: 0 };

/** Binance status of an order (conditional orders keep NEW until they trigger). */
export function orderJson(instrument: Instrument, view: OrderView): Record<string, unknown> {
  return {
    orderId: view.orderId,
    symbol: view.symbol,
    status: view.status,
    clientOrderId: view.clientOrderId,
    price: price(instrument, view.priceTicks),
    avgPrice: averagePrice(instrument, view.cumQuoteE8, view.executedQtyLots),
    origQty: qty(instrument, view.origQtyLots),
    executedQty: qty(instrument, view.executedQtyLots),
    cumQty: qty(instrument, view.executedQtyLots),
    cumQuote: money(view.cumQuoteE8),
    timeInForce: view.timeInForce,
    type: view.orderType,
    reduceOnly: view.reduceOnly,
    closePosition: view.closePosition,
    side: view.side,
    positionSide: 'BOTH',
    stopPrice: price(instrument, view.stopPriceTicks),
    workingType: view.workingType,
    priceProtect: view.priceProtect,
    origType: view.orderType,
    ...(view.orderType === 'TRAILING_STOP_MARKET' ? {
      activatePrice: price(instrument, view.activationPriceTicks),
      priceRate: (view.callbackRateBps / 100).toString(),
    } : {}),
    priceMatch: 'NONE',
    selfTradePreventionMode: view.stpMode,
    goodTillDate: 0,
    time: view.createdAtMs,
    updateTime: view.updatedAtMs,
  };
}

/** Algo (conditional) order status: NEW until triggered, TRIGGERED while the child works, then FINISHED. */
export function algoStatusOf(view: OrderView): string {
  if (view.status === 'CANCELED' || view.status === 'EXPIRED' || view.status === 'EXPIRED_IN_MATCH') {
    return view.triggered && view.executedQtyLots > 0 ? 'FINISHED' : view.status === 'CANCELED' ? 'CANCELED' : 'EXPIRED';
  }
  if (!view.triggered) return 'NEW';
  return view.status === 'FILLED' ? 'FINISHED' : 'TRIGGERED';
}

export function algoOrderJson(instrument: Instrument, view: OrderView): Record<string, unknown> {
  return {
    algoId: view.orderId,
    clientAlgoId: view.clientOrderId,
    algoType: 'CONDITIONAL',
    orderType: view.orderType,
    symbol: view.symbol,
    side: view.side,
    positionSide: 'BOTH',
    timeInForce: view.timeInForce,
    quantity: qty(instrument, view.origQtyLots),
    algoStatus: algoStatusOf(view),
    actualOrderId: view.triggered ? String(view.orderId) : '',
    actualPrice: averagePrice(instrument, view.cumQuoteE8, view.executedQtyLots),
    triggerPrice: price(instrument, view.stopPriceTicks),
    price: price(instrument, view.priceTicks),
    icebergQuantity: null,
    tpTriggerPrice: '0',
    tpPrice: '0',
    slTriggerPrice: '0',
    slPrice: '0',
    tpOrderType: '',
    selfTradePreventionMode: view.stpMode,
    workingType: view.workingType,
    priceMatch: 'NONE',
    closePosition: view.closePosition,
    priceProtect: view.priceProtect,
    reduceOnly: view.reduceOnly,
    ...(view.orderType === 'TRAILING_STOP_MARKET' ? {
      activatePrice: price(instrument, view.activationPriceTicks),
      callbackRate: (view.callbackRateBps / 100).toString(),
    } : {}),
    createTime: view.createdAtMs,
    updateTime: view.updatedAtMs,
    triggerTime: view.triggered ? view.updatedAtMs : 0,
    goodTillDate: 0,
  };
}

/** Unrealized PnL at a mark: mark × size × k − cost (the engine's definition). */
export function unrealizedAt(instrument: Instrument, sizeLots: number, costE8: bigint, markTicks: number): bigint {
  return BigInt(markTicks) * BigInt(sizeLots) * instrument.quotePerTickLotE8 - costE8;
}

/** Isolated margin as Binance reports it: isolated wallet + unrealized PnL (0 for cross). */
export function isolatedMarginE8(view: PositionRiskView): bigint {
  return view.marginType === 'ISOLATED' ? view.isolatedWalletE8 + view.unrealizedPnlE8 : 0n;
}

export function positionRiskV2(instrument: Instrument, view: PositionRiskView): Record<string, unknown> {
  return {
    symbol: view.symbol,
    positionAmt: qty(instrument, view.sizeLots),
    entryPrice: fractionPrice(instrument, view.entryPrice),
    breakEvenPrice: fractionPrice(instrument, breakEvenPrice(instrument, view.sizeLots, view.entryPrice)),
    markPrice: price(instrument, view.markTicks),
    unRealizedProfit: money(view.unrealizedPnlE8),
    liquidationPrice: fractionPrice(instrument, view.liquidationPrice),
    leverage: String(view.leverage),
    maxNotionalValue: money(view.maxNotionalE8),
    marginType: view.marginType === 'ISOLATED' ? 'isolated' : 'cross',
    isolatedMargin: money(isolatedMarginE8(view)),
    isAutoAddMargin: 'false',
    positionSide: 'BOTH',
    notional: money(view.notionalE8),
    isolatedWallet: money(view.isolatedWalletE8),
    updateTime: view.updatedAtMs,
  };
}

export function positionRiskV3(instrument: Instrument, view: PositionRiskView, extras: PositionExtras): Record<string, unknown> {
  return {
    symbol: view.symbol,
    positionSide: 'BOTH',
    positionAmt: qty(instrument, view.sizeLots),
    entryPrice: fractionPrice(instrument, view.entryPrice),
    breakEvenPrice: fractionPrice(instrument, breakEvenPrice(instrument, view.sizeLots, view.entryPrice)),
    markPrice: price(instrument, view.markTicks),
    unRealizedProfit: money(view.unrealizedPnlE8),
    liquidationPrice: fractionPrice(instrument, view.liquidationPrice),
    isolatedMargin: money(isolatedMarginE8(view)),
    notional: money(view.notionalE8),
    marginAsset: instrument.spec.marginAsset,
    isolatedWallet: money(view.isolatedWalletE8),
    initialMargin: money(view.initialMarginE8 + view.openOrderMarginE8),
    maintMargin: money(view.maintenanceMarginE8),
    positionInitialMargin: money(view.initialMarginE8),
    openOrderInitialMargin: money(view.openOrderMarginE8),
    adl: extras.adlQuantile,
    bidNotional: money(extras.bidE8),
    askNotional: money(extras.askE8),
    updateTime: view.updatedAtMs,
  };
}
