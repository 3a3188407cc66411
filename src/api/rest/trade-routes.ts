/**
 * @module api/rest/trade-routes
 * Orders under /fapi/v1: POST/GET/DELETE/PUT order, batchOrders, allOpenOrders, openOrders,
 * openOrder, allOrders, userTrades. A placement with a client order id is submitted with the
 * idempotency key `order:<accountId>:<clientOrderId>:<timestamp>`: the same request is placed at
 * most once, even across a crash, while a new request may reuse a client order id once its order
 * has ended (the engine refuses it, -4116, while the order is open), as Binance's ids are unique
 * among open orders. Every lookup is scoped to the caller's account: another account's order id is
 * indistinguishable from an id that does not exist (-2013 on queries, -2011 on cancels).
 */
import type { Instrument, OrderView } from '../../core/index.js';
import type { ApiContext } from '../context.js';
import { ApiError, E } from '../errors.js';
import { money, price, qty } from '../format.js';
import { Params } from '../params.js';
import { CLIENT_ID_RE, ORDER_ENDPOINT, parseOrder, TEST_ORDER_ENDPOINT, type OrderEndpoint } from './order-params.js';
import { optionalSymbol, symbolParam } from './market-routes.js';
import { orderJson } from './render.js';
import { registerRoute, type RouteHost } from './route.js';
import { finalOrderView, submit, throwIfRejected } from './submit.js';

/**
 * Places one order from parsed params (of the request signed at `timestampMs`) and returns the
 * Binance order object. The same request again — after a crash lost the replay guard's memory of
 * it, or twice within one batch — is refused -4116 rather than placed again.
 */
export async function placeOrder(ctx: ApiContext, params: Params, accountId: number, timestampMs: number,
  endpoint: OrderEndpoint = ORDER_ENDPOINT): Promise<{ instrument: Instrument; view: OrderView }> {
  const instrument = symbolParam(ctx, params);
  const { fields, clientSupplied } = parseOrder(params, instrument, accountId, endpoint);
  const key = clientSupplied ? `order:${accountId}:${fields.clientOrderId}:${timestampMs}` : undefined;
  const outcome = await submit(ctx, { type: 'PlaceOrder', ...fields }, key);
  if (outcome.duplicate) throw E.clientOrderIdDuplicated();
  throwIfRejected(outcome);
  const view = finalOrderView(outcome.events, accountId,
    (candidate) => candidate.clientOrderId === fields.clientOrderId && candidate.origin === 'USER');
  if (view === undefined) throw E.unknown();
  return { instrument, view };
}

function orderRef(params: Params, idName: string, clientName: string): { orderId?: number; clientOrderId?: string } {
  const orderId = params.uint(idName, { min: 1 });
  const clientOrderId = params.string(clientName, CLIENT_ID_RE);
  if (orderId === undefined && clientOrderId === undefined) throw E.mandatory(`${idName}' or '${clientName}`);
  return { ...(orderId === undefined ? {} : { orderId }), ...(clientOrderId === undefined ? {} : { clientOrderId }) };
}

export async function cancelOne(ctx: ApiContext, accountId: number, instrument: Instrument,
  ref: { orderId?: number; clientOrderId?: string }): Promise<OrderView> {
  const outcome = await submit(ctx, {
    type: 'CancelOrder', accountId, symbol: instrument.symbol, orderId: ref.orderId ?? 0,
    clientOrderId: ref.clientOrderId ?? '',
  });
  throwIfRejected(outcome);
  const view = finalOrderView(outcome.events, accountId, (candidate) => candidate.status === 'CANCELED' &&
    (ref.orderId === undefined || candidate.orderId === ref.orderId) &&
    (ref.clientOrderId === undefined || candidate.clientOrderId === ref.clientOrderId));
  if (view === undefined) throw E.unknownOrder();
  return view;
}

/** Modifies one order's price and quantity (PUT order and each element of PUT batchOrders). */
async function amendOne(ctx: ApiContext, params: Params, accountId: number): Promise<Record<string, unknown>> {
  const instrument = symbolParam(ctx, params);
  params.enumOf('side', ['BUY', 'SELL'], E.badSide, true);
  const ref = orderRef(params, 'orderId', 'origClientOrderId');
  const qtyLots = params.units('quantity', instrument.lot, true);
  const priceTicks = params.units('price', instrument.tick, true);
  const outcome = await submit(ctx, {
    type: 'AmendOrder', accountId, symbol: instrument.symbol, orderId: ref.orderId ?? 0,
    clientOrderId: ref.clientOrderId ?? '', qtyLots, priceTicks,
  });
  throwIfRejected(outcome);
  const view = finalOrderView(outcome.events, accountId, (candidate) =>
    (ref.orderId === undefined || candidate.orderId === ref.orderId) &&
    (ref.clientOrderId === undefined || candidate.clientOrderId === ref.clientOrderId));
  if (view === undefined) throw E.noSuchOrder();
  return orderJson(instrument, view);
}

/** Parses a JSON list parameter (batchOrders, orderIdList): bounded, arrays only. */
export function jsonList(params: Params, name: string, max: number): unknown[] {
  const text = params.required(name);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw E.illegalValue(name, 'not valid JSON');
  }
  if (!Array.isArray(parsed)) throw E.illegalValue(name, 'expected a JSON array');
  if (parsed.length === 0 || parsed.length > max) throw E.illegalValue(name, `between 1 and ${max} entries`);
  return parsed;
}

/** One batchOrders element (an object of strings or plain numbers) as Params. */
function batchElement(element: unknown): Params {
  if (typeof element !== 'object' || element === null || Array.isArray(element)) {
    throw E.illegalValue('batchOrders', 'each order must be a JSON object');
  }
  const values = new Map<string, string>();
  for (const [name, value] of Object.entries(element as Record<string, unknown>)) {
    if (!/^[A-Za-z][A-Za-z0-9_]{0,63}$/.test(name)) throw E.illegalChars('batchOrders');
    if (typeof value === 'string') values.set(name, value);
    else if (typeof value === 'number' && Number.isFinite(value)) values.set(name, String(value));
    else if (typeof value === 'boolean') values.set(name, String(value));
    else throw E.illegalValue(name);
  }
  return new Params(values);
}

function errorJson(error: unknown): Record<string, unknown> {
  if (error instanceof ApiError) return error.toJSON();
  throw error;
}

export function registerTradeRoutes(app: RouteHost, ctx: ApiContext): void {
  registerRoute(app, ctx, {
    method: 'POST', paths: ['/fapi/v1/order'], security: 'TRADE', weight: 0, orders: () => 1,
    replayChecked: (params) => params.has(ORDER_ENDPOINT.clientId),
    handler: async ({ params, accountId, timestampMs }) => {
      const { instrument, view } = await placeOrder(ctx, params, accountId, timestampMs);
      return orderJson(instrument, view);
    },
  });
  registerRoute(app, ctx, {
    method: 'POST', paths: ['/fapi/v1/order/test'], security: 'TRADE', weight: 0,
    replayChecked: (params) => params.has(TEST_ORDER_ENDPOINT.clientId),
    handler: ({ params, accountId }) => {
      parseOrder(params, symbolParam(ctx, params), accountId, TEST_ORDER_ENDPOINT);
      return {};
    },
  });
  registerRoute(app, ctx, {
    method: 'PUT', paths: ['/fapi/v1/order'], security: 'TRADE', weight: 1, orders: () => 1,
    handler: ({ params, accountId }) => amendOne(ctx, params, accountId),
  });
  registerRoute(app, ctx, {
    method: 'PUT', paths: ['/fapi/v1/batchOrders'], security: 'TRADE', weight: 5,
    orders: (params) => {
      const text = params.optional('batchOrders');
      return text === undefined ? 1 : Math.max(1, Math.min(5, (text.match(/\{/g) ?? []).length));
    },
    handler: async ({ params, accountId }) => {
      const elements = jsonList(params, 'batchOrders', 5).map(batchElement);
      return Promise.all(elements.map(async (element) => {
        try {
          return await amendOne(ctx, element, accountId);
        } catch (error) {
          return errorJson(error);
        }
      }));
    },
  });
  registerRoute(app, ctx, {
    method: 'DELETE', paths: ['/fapi/v1/order'], security: 'TRADE', weight: 1,
    handler: async ({ params, accountId }) => {
      const instrument = symbolParam(ctx, params);
      const view = await cancelOne(ctx, accountId, instrument, orderRef(params, 'orderId', 'origClientOrderId'));
      return orderJson(instrument, view);
    },
  });
  registerRoute(app, ctx, {
    method: 'GET', paths: ['/fapi/v1/order'], security: 'USER_DATA', weight: 1,
    handler: ({ params, accountId }) => {
      const instrument = symbolParam(ctx, params);
      const ref = orderRef(params, 'orderId', 'origClientOrderId');
      const view = ctx.store.order(accountId, ref.orderId, ref.clientOrderId);
      if (view === undefined || view.symbol !== instrument.symbol) throw E.noSuchOrder();
      return orderJson(instrument, view);
    },
  });
  registerRoute(app, ctx, {
    method: 'GET', paths: ['/fapi/v1/openOrder'], security: 'USER_DATA', weight: 1,
    handler: ({ params, accountId }) => {
      const instrument = symbolParam(ctx, params);
      const ref = orderRef(params, 'orderId', 'origClientOrderId');
      const view = ctx.engine.openOrders(accountId, instrument.symbol).find((candidate) =>
        (ref.orderId === undefined || candidate.orderId === ref.orderId) &&
        (ref.clientOrderId === undefined || candidate.clientOrderId === ref.clientOrderId));
      if (view === undefined) throw new ApiError(-2013, 'Order does not exist.');
      return orderJson(instrument, view);
    },
  });
  registerRoute(app, ctx, {
    method: 'GET', paths: ['/fapi/v1/openOrders'], security: 'USER_DATA',
    weight: (params) => (params.has('symbol') ? 1 : 40),
    handler: ({ params, accountId }) => {
      const instrument = optionalSymbol(ctx, params);
      return ctx.engine.openOrders(accountId, instrument?.symbol)
        .filter((view) => !(view.conditional && !view.triggered) && view.origin === 'USER')
        .sort((a, b) => a.orderId - b.orderId)
        .map((view) => orderJson(ctx.instruments.get(view.symbol)!, view));
    },
  });
  registerRoute(app, ctx, {
    method: 'GET', paths: ['/fapi/v1/allOrders'], security: 'USER_DATA', weight: 5,
    handler: ({ params, accountId }) => {
      const instrument = symbolParam(ctx, params);
      const limit = params.uint('limit', { min: 1, max: 1000 }) ?? 500;
      const orderId = params.uint('orderId');
      const startTime = params.uint('startTime');
      const endTime = params.uint('endTime');
      return ctx.store.orders(accountId, instrument.symbol, {
        limit, ...(orderId === undefined ? {} : { orderId }), ...(startTime === undefined ? {} : { startTime }),
        ...(endTime === undefined ? {} : { endTime }),
      }).map((view) => orderJson(instrument, view));
    },
  });
  registerRoute(app, ctx, {
    method: 'DELETE', paths: ['/fapi/v1/allOpenOrders'], security: 'TRADE', weight: 1,
    handler: async ({ params, accountId }) => {
      const instrument = symbolParam(ctx, params);
      const outcome = await submit(ctx, { type: 'CancelAllOrders', accountId, symbol: instrument.symbol, scope: 'REGULAR' });
      throwIfRejected(outcome);
      return { code: 200, msg: 'The operation of cancel all open order is done.' };
    },
  });
  registerRoute(app, ctx, {
    method: 'POST', paths: ['/fapi/v1/batchOrders'], security: 'TRADE', weight: 5,
    orders: (params) => {
      const text = params.optional('batchOrders');
      return text === undefined ? 1 : Math.max(1, Math.min(5, (text.match(/\{/g) ?? []).length));
    },
    replayChecked: (params) => params.optional('batchOrders')?.includes(ORDER_ENDPOINT.clientId) ?? true,
    handler: async ({ params, accountId, timestampMs }) => {
      const elements = jsonList(params, 'batchOrders', 5).map(batchElement);
      return Promise.all(elements.map(async (element) => {
        try {
          const { instrument, view } = await placeOrder(ctx, element, accountId, timestampMs);
          return orderJson(instrument, view);
        } catch (error) {
          return errorJson(error);
        }
      }));
    },
  });
  registerRoute(app, ctx, {
    method: 'DELETE', paths: ['/fapi/v1/batchOrders'], security: 'TRADE', weight: 1,
    handler: async ({ params, accountId }) => {
      const instrument = symbolParam(ctx, params);
      const refs: { orderId?: number; clientOrderId?: string }[] = params.has('orderIdList')
        ? jsonList(params, 'orderIdList', 10).map((id) => {
          if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 1) throw E.illegalValue('orderIdList');
          return { orderId: id };
        })
        : jsonList(params, 'origClientOrderIdList', 10).map((id) => {
          if (typeof id !== 'string' || !CLIENT_ID_RE.test(id)) throw E.illegalValue('origClientOrderIdList');
          return { clientOrderId: id };
        });
      return Promise.all(refs.map(async (ref) => {
        try {
          return orderJson(instrument, await cancelOne(ctx, accountId, instrument, ref));
        } catch (error) {
          return errorJson(error);
        }
      }));
    },
  });
  registerRoute(app, ctx, {
    method: 'GET', paths: ['/fapi/v1/userTrades'], security: 'USER_DATA', weight: 5,
    handler: ({ params, accountId }) => {
      const instrument = symbolParam(ctx, params);
      const limit = params.uint('limit', { min: 1, max: 1000 }) ?? 500;
      const fromId = params.uint('fromId');
      const orderId = params.uint('orderId');
      const startTime = params.uint('startTime');
      const endTime = params.uint('endTime');
      return ctx.store.userTrades(accountId, instrument.symbol, {
        limit, ...(fromId === undefined ? {} : { fromId }), ...(orderId === undefined ? {} : { orderId }),
        ...(startTime === undefined ? {} : { startTime }), ...(endTime === undefined ? {} : { endTime }),
      }).map((trade) => ({
        symbol: trade.symbol,
        id: trade.tradeId,
        orderId: trade.orderId,
        side: trade.side,
        price: price(instrument, trade.priceTicks),
        qty: qty(instrument, trade.qtyLots),
        realizedPnl: money(trade.realizedPnlE8),
        marginAsset: instrument.spec.marginAsset,
        quoteQty: money(BigInt(trade.priceTicks) * BigInt(trade.qtyLots) * instrument.quotePerTickLotE8),
        commission: money(trade.commissionE8),
        commissionAsset: instrument.spec.marginAsset,
        time: trade.timeMs,
        positionSide: 'BOTH',
        buyer: trade.side === 'BUY',
        maker: trade.maker,
      }));
    },
  });
}
