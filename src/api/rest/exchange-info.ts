/**
 * @module api/rest/exchange-info
 * GET /fapi/v1/exchangeInfo from the instrument specs, in the shape ccxt's parseMarket needs
 * (contractType present → contract; marginAsset = quoteAsset → linear; filters give precision).
 */
import { formatScaled, type Instrument } from '../../core/index.js';
import type { RateLimits } from '../auth/rate-limit.js';
import { decimalsOf, qty } from '../format.js';

/** Binance's sentinel delivery date of perpetual contracts. */
export const PERPETUAL_DELIVERY_MS = 4_133_404_800_000;

export const ORDER_TYPES = ['LIMIT', 'MARKET', 'STOP', 'STOP_MARKET', 'TAKE_PROFIT', 'TAKE_PROFIT_MARKET', 'TRAILING_STOP_MARKET'];
export const TIME_IN_FORCE = ['GTC', 'IOC', 'FOK', 'GTX'];

export function symbolInfo(instrument: Instrument): Record<string, unknown> {
  const spec = instrument.spec;
  return {
    symbol: spec.symbol,
    pair: spec.symbol,
    contractType: 'PERPETUAL',
    deliveryDate: PERPETUAL_DELIVERY_MS,
    onboardDate: spec.onboardDateMs,
    status: 'TRADING',
    maintMarginPercent: '2.5000',
    requiredMarginPercent: '5.0000',
    baseAsset: spec.baseAsset,
    quoteAsset: spec.quoteAsset,
    marginAsset: spec.marginAsset,
    pricePrecision: decimalsOf(spec.tickSize),
    quantityPrecision: decimalsOf(spec.stepSize),
    baseAssetPrecision: 8,
    quotePrecision: 8,
    underlyingType: 'COIN',
    underlyingSubType: [],
    settlePlan: 0,
    triggerProtect: spec.triggerProtect,
    liquidationFee: spec.liquidationFeeRate,
    marketTakeBound: spec.marketTakeBound,
    maxMoveOrderLimit: 10000,
    filters: [
      { filterType: 'PRICE_FILTER', minPrice: spec.minPrice, maxPrice: spec.maxPrice, tickSize: spec.tickSize },
      { filterType: 'LOT_SIZE', minQty: qty(instrument, instrument.minQtyLots), maxQty: qty(instrument, instrument.maxQtyLots),
        stepSize: spec.stepSize },
      { filterType: 'MARKET_LOT_SIZE', minQty: qty(instrument, instrument.minQtyLots),
        maxQty: qty(instrument, instrument.marketMaxQtyLots), stepSize: spec.stepSize },
      { filterType: 'MAX_NUM_ORDERS', limit: spec.maxOpenOrders },
      { filterType: 'MAX_NUM_ALGO_ORDERS', limit: spec.maxAlgoOrders },
      { filterType: 'MIN_NOTIONAL', notional: spec.minNotional },
      { filterType: 'PERCENT_PRICE', multiplierUp: spec.percentPriceUp, multiplierDown: spec.percentPriceDown,
        multiplierDecimal: '4' },
    ],
    orderTypes: ORDER_TYPES,
    timeInForce: TIME_IN_FORCE,
    permissionSet: ['GRID', 'COPY'],
  };
}

export function exchangeInfo(instruments: readonly Instrument[], limits: RateLimits, nowMs: number): Record<string, unknown> {
  const assets = [...new Set(instruments.map((instrument) => instrument.spec.marginAsset))];
  return {
    timezone: 'UTC',
    serverTime: nowMs,
    futuresType: 'U_MARGINED',
    rateLimits: [
      { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: limits.weightPerMinute },
      { rateLimitType: 'ORDERS', interval: 'MINUTE', intervalNum: 1, limit: limits.ordersPerMinute },
      { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: limits.ordersPer10s },
    ],
    exchangeFilters: [],
    assets: assets.map((asset) => ({ asset, marginAvailable: true, autoAssetExchange: '0' })),
    symbols: instruments.map(symbolInfo),
  };
}

/** Leverage brackets (GET /fapi/v1/leverageBracket): Binance sends these as JSON numbers. */
export function leverageBrackets(instrument: Instrument): Record<string, unknown> {
  return {
    symbol: instrument.symbol,
    notionalCoef: 1.0,
    brackets: instrument.brackets.map((bracket) => ({
      bracket: bracket.bracket,
      initialLeverage: bracket.maxLeverage,
      notionalCap: Number(formatScaled(bracket.capE8, 8, 0)),
      notionalFloor: Number(formatScaled(bracket.floorE8, 8, 0)),
      maintMarginRatio: Number(formatScaled(bracket.mmrE8, 8)),
      cum: Number(formatScaled(bracket.cumE8, 8)),
    })),
  };
}

