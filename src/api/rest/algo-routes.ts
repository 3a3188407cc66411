/**
 * @module api/rest/algo-routes
 * Binance's Algo Service endpoints for conditional orders (what ccxt ≥ 4.5 uses for stop, take-profit
 * and trailing orders): POST/GET/DELETE /fapi/v1/algoOrder, GET openAlgoOrders (alias
 * algoOpenOrders), GET allAlgoOrders, DELETE algoOpenOrders. An algo order is the engine's
 * conditional order; its algoId is the engine order id, which it keeps after triggering.
 */
import type { ApiContext } from '../context.js';
import { E } from '../errors.js';
import type { Params } from '../params.js';
import { ALGO_ENDPOINT, CLIENT_ID_RE, CONDITIONAL_TYPES } from './order-params.js';
import { optionalSymbol, symbolParam } from './market-routes.js';
import { algoOrderJson } from './render.js';
import { registerRoute, type RouteHost } from './route.js';
import { submit, throwIfRejected } from './submit.js';
import { cancelOne, placeOrder } from './trade-routes.js';

function algoRef(params: Params): { orderId?: number; clientOrderId?: string } {
  const orderId = params.uint('algoId', { min: 1 });
  const clientOrderId = params.string('clientAlgoId', CLIENT_ID_RE);
  if (orderId === undefined && clientOrderId === undefined) throw E.mandatory("algoId' or 'clientAlgoId");
  return { ...(orderId === undefined ? {} : { orderId }), ...(clientOrderId === undefined ? {} : { clientOrderId }) };
}

export function registerAlgoRoutes(app: RouteHost, ctx: ApiContext): void {
  registerRoute(app, ctx, {
    method: 'POST', paths: ['/fapi/v1/algoOrder'], security: 'TRADE', weight: 0, orders: () => 1,
    replayChecked: (params) => params.has(ALGO_ENDPOINT.clientId),
    handler: async ({ params, accountId, timestampMs }) => {
      const algoType = params.required('algoType');
      if (algoType !== 'CONDITIONAL') throw E.illegalValue('algoType', 'only CONDITIONAL is supported');
      const type = params.required('type');
      if (!(CONDITIONAL_TYPES as readonly string[]).includes(type)) throw E.badType();
      const { instrument, view } = await placeOrder(ctx, params, accountId, timestampMs, ALGO_ENDPOINT);
      return algoOrderJson(instrument, view);
    },
  });
  registerRoute(app, ctx, {
    method: 'DELETE', paths: ['/fapi/v1/algoOrder'], security: 'TRADE', weight: 1,
    handler: async ({ params, accountId }) => {
      const ref = algoRef(params);
      // Binance's algo cancel takes no symbol; find the live conditional order of this account.
      const live = ctx.engine.openOrders(accountId).find((view) => view.conditional && !view.triggered &&
        (ref.orderId === undefined || view.orderId === ref.orderId) &&
        (ref.clientOrderId === undefined || view.clientOrderId === ref.clientOrderId));
      if (live === undefined) throw E.unknownOrder();
      const instrument = ctx.instruments.get(live.symbol)!;
      const view = await cancelOne(ctx, accountId, instrument, { orderId: live.orderId });
      return { algoId: view.orderId, clientAlgoId: view.clientOrderId, code: '200', msg: 'success' };
    },
  });
  registerRoute(app, ctx, {
    method: 'GET', paths: ['/fapi/v1/algoOrder'], security: 'USER_DATA', weight: 1,
    handler: ({ params, accountId }) => {
      const ref = algoRef(params);
      const view = ctx.store.order(accountId, ref.orderId, ref.clientOrderId);
      if (view === undefined || !view.conditional) throw E.noSuchOrder();
      return algoOrderJson(ctx.instruments.get(view.symbol)!, view);
    },
  });
  registerRoute(app, ctx, {
    method: 'GET', paths: ['/fapi/v1/openAlgoOrders', '/fapi/v1/algoOpenOrders'], security: 'USER_DATA',
    weight: (params) => (params.has('symbol') ? 1 : 40),
    handler: ({ params, accountId }) => {
      const instrument = optionalSymbol(ctx, params);
      return ctx.engine.openOrders(accountId, instrument?.symbol)
        .filter((view) => view.conditional && !view.triggered)
        .sort((a, b) => a.orderId - b.orderId)
        .map((view) => algoOrderJson(ctx.instruments.get(view.symbol)!, view));
    },
  });
  registerRoute(app, ctx, {
    method: 'GET', paths: ['/fapi/v1/allAlgoOrders'], security: 'USER_DATA', weight: 5,
    handler: ({ params, accountId }) => {
      const instrument = symbolParam(ctx, params);
      const limit = params.uint('limit', { min: 1, max: 1000 }) ?? 500;
      return ctx.store.orders(accountId, instrument.symbol, { limit, conditional: true })
        .map((view) => algoOrderJson(instrument, view));
    },
  });
  registerRoute(app, ctx, {
    method: 'DELETE', paths: ['/fapi/v1/algoOpenOrders'], security: 'TRADE', weight: 1,
    handler: async ({ params, accountId }) => {
      const instrument = symbolParam(ctx, params);
      const outcome = await submit(ctx, { type: 'CancelAllOrders', accountId, symbol: instrument.symbol, scope: 'CONDITIONAL' });
      throwIfRejected(outcome);
      return { code: 200, msg: 'The operation of cancel all open order is done.' };
    },
  });
}
