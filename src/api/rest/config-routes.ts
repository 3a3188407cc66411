/**
 * @module api/rest/config-routes
 * Account configuration and account history endpoints ccxt and bots call: symbolConfig and
 * accountConfig (ccxt fetchLeverage(s), fetchMarginMode(s), fetchTradingFees), adlQuantile,
 * forceOrders (the caller's own liquidation orders) and positionMargin/history. Shapes follow
 * Binance's USDⓈ-M documentation; docs/api.md lists what differs.
 */
import type { ApiContext } from '../context.js';
import { E } from '../errors.js';
import { money } from '../format.js';
import type { Params } from '../params.js';
import { liquidationOrders, marginAdjustments, type TimeWindow } from '../read-models/history-queries.js';
import { accountOf, allPositions } from './account-routes.js';
import { optionalSymbol, symbolParam } from './market-routes.js';
import { orderJson } from './render.js';
import { registerRoute, type RouteHost } from './route.js';

const FORCE_ORDER_DEFAULT_LIMIT = 50;
const FORCE_ORDER_MAX_LIMIT = 100;
const MARGIN_HISTORY_DEFAULT_LIMIT = 500;
const MARGIN_HISTORY_MAX_LIMIT = 1000;

function windowParam(params: Params, fallback: number, max: number): TimeWindow {
  const startTime = params.uint('startTime');
  const endTime = params.uint('endTime');
  if (startTime !== undefined && endTime !== undefined && startTime > endTime) {
    throw E.illegalValue('startTime', 'startTime must not be after endTime');
  }
  return { limit: params.uint('limit', { min: 1, max }) ?? fallback,
    ...(startTime === undefined ? {} : { startTime }), ...(endTime === undefined ? {} : { endTime }) };
}

export function registerConfigRoutes(app: RouteHost, ctx: ApiContext): void {
  registerRoute(app, ctx, {
    method: 'GET', paths: ['/fapi/v1/symbolConfig'], security: 'USER_DATA', weight: 5,
    handler: ({ params, accountId }) => {
      const only = optionalSymbol(ctx, params);
      return allPositions(ctx, accountOf(ctx, accountId))
        .filter((position) => only === undefined || position.symbol === only.symbol)
        .map((position) => ({
          symbol: position.symbol, marginType: position.marginType, isAutoAddMargin: 'false', leverage: position.leverage,
          maxNotionalValue: money(position.maxNotionalE8),
        }));
    },
  });
  registerRoute(app, ctx, {
    method: 'GET', paths: ['/fapi/v1/accountConfig'], security: 'USER_DATA', weight: 5,
    handler: ({ accountId }) => {
      accountOf(ctx, accountId);
      return { feeTier: 0, canTrade: true, canDeposit: true, canWithdraw: true, dualSidePosition: false, updateTime: 0,
        multiAssetsMargin: false, tradeGroupId: -1 };
    },
  });
  registerRoute(app, ctx, {
    method: 'GET', paths: ['/fapi/v1/adlQuantile'], security: 'USER_DATA', weight: 5,
    handler: ({ params, accountId }) => {
      const only = optionalSymbol(ctx, params);
      return accountOf(ctx, accountId).positions
        .filter((position) => position.sizeLots !== 0 && (only === undefined || position.symbol === only.symbol))
        // One-way mode: the position's quantile is BOTH; LONG and SHORT are hedge-mode sides (none here).
        .map((position) => ({ symbol: position.symbol,
          adlQuantile: { LONG: 0, SHORT: 0, BOTH: ctx.adl.quantile(position.symbol, accountId) } }));
    },
  });
  registerRoute(app, ctx, {
    method: 'GET', paths: ['/fapi/v1/forceOrders'], security: 'USER_DATA',
    weight: (params) => (params.has('symbol') ? 20 : 50),
    handler: ({ params, accountId }) => {
      const instrument = optionalSymbol(ctx, params);
      const autoCloseType = params.enumOf('autoCloseType', ['LIQUIDATION', 'ADL'] as const,
        () => E.illegalValue('autoCloseType', 'LIQUIDATION or ADL'), false);
      const window = windowParam(params, FORCE_ORDER_DEFAULT_LIMIT, FORCE_ORDER_MAX_LIMIT);
      // ADL closes positions by off-book fills, not orders: there are no ADL orders to list.
      if (autoCloseType === 'ADL') return [];
      return liquidationOrders(ctx.store, accountId, instrument?.symbol, window)
        .map((view) => orderJson(ctx.instruments.get(view.symbol)!, view));
    },
  });
  registerRoute(app, ctx, {
    method: 'GET', paths: ['/fapi/v1/positionMargin/history'], security: 'USER_DATA', weight: 1,
    handler: ({ params, accountId }) => {
      const instrument = symbolParam(ctx, params);
      const type = params.uint('type', { min: 1, max: 2 }) as 1 | 2 | undefined;
      const window = windowParam(params, MARGIN_HISTORY_DEFAULT_LIMIT, MARGIN_HISTORY_MAX_LIMIT);
      return marginAdjustments(ctx.store, accountId, instrument.symbol, type, window).map((row) => ({
        symbol: row.symbol, type: row.amountE8 > 0n ? 1 : 2, deltaType: 'USER_ADJUST',
        amount: money(row.amountE8 < 0n ? -row.amountE8 : row.amountE8), asset: 'USDT', time: row.timeMs, positionSide: 'BOTH',
      }));
    },
  });
}
