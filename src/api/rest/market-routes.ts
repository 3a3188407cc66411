/**
 * @module api/rest/market-routes
 * Public market data under /fapi: ping, time, exchangeInfo, depth, trades, aggTrades, klines (trade,
 * mark, index), premiumIndex, fundingRate, fundingInfo, ticker/24hr, ticker/price,
 * ticker/bookTicker, openInterest. Everything is read from the committed read models, so REST and
 * the streams agree (depth lastUpdateId is the WebSocket U/u sequence).
 */
import type { Instrument } from '../../core/index.js';
import { instrumentOf, type ApiContext } from '../context.js';
import { E } from '../errors.js';
import { money, price, qty, rate } from '../format.js';
import type { Params } from '../params.js';
import { closeTimeOf, isInterval, type Interval } from '../read-models/klines.js';
import type { SymbolState } from '../read-models/market.js';
import type { KlineKind } from '../read-models/store.js';
import { ticker24h, ticker24hJson } from '../read-models/ticker.js';
import { exchangeInfo } from './exchange-info.js';
import { registerRoute, type RouteHost } from './route.js';

const SYMBOL_RE = /^[A-Z0-9]{1,32}$/;
const DEPTH_LIMITS = [5, 10, 20, 50, 100, 500, 1000];

export function symbolParam(ctx: ApiContext, params: Params, name = 'symbol'): Instrument {
  const symbol = params.required(name);
  if (!SYMBOL_RE.test(symbol)) throw E.badSymbol();
  return instrumentOf(ctx, symbol);
}

export function optionalSymbol(ctx: ApiContext, params: Params, name = 'symbol'): Instrument | undefined {
  return params.has(name) ? symbolParam(ctx, params, name) : undefined;
}

function stateOf(ctx: ApiContext, instrument: Instrument): SymbolState {
  const state = ctx.market.get(instrument.symbol);
  if (state === undefined) throw E.badSymbol();
  return state;
}

function limitParam(params: Params, fallback: number, max: number): number {
  return params.uint('limit', { min: 1, max }) ?? fallback;
}

function timeRange(params: Params): { startTime?: number; endTime?: number } {
  const startTime = params.uint('startTime');
  const endTime = params.uint('endTime');
  if (startTime !== undefined && endTime !== undefined && startTime > endTime) {
    throw E.illegalValue('startTime', 'startTime must not be after endTime');
  }
  return { ...(startTime === undefined ? {} : { startTime }), ...(endTime === undefined ? {} : { endTime }) };
}

function depthWeight(params: Params): number {
  const limit = Number(params.optional('limit') ?? '500');
  return limit <= 50 ? 2 : limit <= 100 ? 5 : limit <= 500 ? 10 : 20;
}

function klineWeight(params: Params): number {
  const limit = Number(params.optional('limit') ?? '500');
  return limit < 100 ? 1 : limit < 500 ? 2 : limit <= 1000 ? 5 : 10;
}

function klinesHandler(ctx: ApiContext, kind: KlineKind, symbolName: string) {
  return ({ params }: { params: Params }): unknown[] => {
    const nowMs = ctx.venueNow();
    const instrument = symbolParam(ctx, params, symbolName);
    const intervalText = params.required('interval');
    if (!isInterval(intervalText)) throw E.badInterval();
    const interval: Interval = intervalText;
    const limit = limitParam(params, 500, 1500);
    const rows = ctx.klines.query(instrument.symbol, kind, interval, { ...timeRange(params), limit, nowMs });
    return rows.map((row) => [
      row.openTimeMs, price(instrument, row.open), price(instrument, row.high), price(instrument, row.low),
      price(instrument, row.close), kind === 'trade' ? qty(instrument, row.volumeLots) : '0',
      closeTimeOf(interval, row.openTimeMs), kind === 'trade' ? money(row.quoteE8) : '0', kind === 'trade' ? row.trades : 0,
      kind === 'trade' ? qty(instrument, row.takerBuyLots) : '0', kind === 'trade' ? money(row.takerBuyQuoteE8) : '0', '0',
    ]);
  };
}

export function premiumIndexJson(state: SymbolState, nowMs: number): Record<string, unknown> {
  const instrument = state.instrument;
  const mark = state.mark;
  return {
    symbol: instrument.symbol,
    markPrice: price(instrument, mark.markTicks),
    indexPrice: price(instrument, mark.indexTicks),
    estimatedSettlePrice: price(instrument, mark.indexTicks),
    lastFundingRate: rate(mark.estimatedFundingRateE8),
    interestRate: rate(instrument.interestRateE8),
    nextFundingTime: mark.nextFundingMs,
    time: nowMs,
  };
}

function bookTickerJson(state: SymbolState, nowMs: number): Record<string, unknown> {
  const instrument = state.instrument;
  const bid = state.depth.bestBid();
  const ask = state.depth.bestAsk();
  return {
    symbol: instrument.symbol,
    bidPrice: price(instrument, bid?.[0] ?? 0),
    bidQty: qty(instrument, bid?.[1] ?? 0),
    askPrice: price(instrument, ask?.[0] ?? 0),
    askQty: qty(instrument, ask?.[1] ?? 0),
    time: nowMs,
    lastUpdateId: state.depth.lastUpdateId,
  };
}

export function registerMarketRoutes(app: RouteHost, ctx: ApiContext): void {
  const all = (): SymbolState[] => [...ctx.market.symbols.values()];
  registerRoute(app, ctx, { method: 'GET', paths: ['/fapi/v1/ping'], security: 'NONE', weight: 1, handler: () => ({}) });
  registerRoute(app, ctx, {
    method: 'GET', paths: ['/fapi/v1/time'], security: 'NONE', weight: 1,
    handler: ({ nowMs }) => ({ serverTime: nowMs }),
  });
  registerRoute(app, ctx, {
    method: 'GET', paths: ['/fapi/v1/exchangeInfo'], security: 'NONE', weight: 1,
    handler: ({ nowMs }) => exchangeInfo([...ctx.instruments.values()], ctx.limiter.limits, nowMs),
  });
  registerRoute(app, ctx, {
    method: 'GET', paths: ['/fapi/v1/depth'], security: 'NONE', weight: depthWeight,
    handler: ({ params, nowMs }) => {
      const instrument = symbolParam(ctx, params);
      const limit = params.uint('limit') ?? 500;
      if (!DEPTH_LIMITS.includes(limit)) throw E.illegalValue('limit', `one of ${DEPTH_LIMITS.join(', ')}`);
      const state = stateOf(ctx, instrument);
      const top = state.depth.top(limit);
      return {
        lastUpdateId: state.depth.lastUpdateId,
        E: nowMs,
        T: nowMs,
        bids: top.bids.map(([p, q]) => [price(instrument, p), qty(instrument, q)]),
        asks: top.asks.map(([p, q]) => [price(instrument, p), qty(instrument, q)]),
      };
    },
  });
  registerRoute(app, ctx, {
    method: 'GET', paths: ['/fapi/v1/trades', '/fapi/v1/historicalTrades'], security: 'NONE', weight: 5,
    handler: ({ params }) => {
      const instrument = symbolParam(ctx, params);
      const limit = limitParam(params, 500, 1000);
      const fromId = params.uint('fromId');
      return ctx.store.trades(instrument.symbol, limit, fromId).map((trade) => ({
        id: trade.tradeId,
        price: price(instrument, trade.priceTicks),
        qty: qty(instrument, trade.qtyLots),
        quoteQty: money(BigInt(trade.priceTicks) * BigInt(trade.qtyLots) * instrument.quotePerTickLotE8),
        time: trade.timeMs,
        isBuyerMaker: trade.buyerMaker,
      }));
    },
  });
  registerRoute(app, ctx, {
    method: 'GET', paths: ['/fapi/v1/aggTrades'], security: 'NONE', weight: 20,
    handler: ({ params }) => {
      const instrument = symbolParam(ctx, params);
      const limit = limitParam(params, 500, 1000);
      const fromId = params.uint('fromId');
      const rows = ctx.store.aggTrades(instrument.symbol, { ...timeRange(params), limit,
        ...(fromId === undefined ? {} : { fromId }) });
      return rows.map((row) => ({
        a: row.aggId, p: price(instrument, row.priceTicks), q: qty(instrument, row.qtyLots), f: row.firstId, l: row.lastId,
        T: row.timeMs, m: row.buyerMaker === 1,
      }));
    },
  });
  registerRoute(app, ctx, {
    method: 'GET', paths: ['/fapi/v1/klines', '/fapi/v1/continuousKlines'], security: 'NONE', weight: klineWeight,
    handler: (request) => klinesHandler(ctx, 'trade', request.params.has('pair') && !request.params.has('symbol') ? 'pair' : 'symbol')(request),
  });
  registerRoute(app, ctx, {
    method: 'GET', paths: ['/fapi/v1/markPriceKlines'], security: 'NONE', weight: klineWeight,
    handler: klinesHandler(ctx, 'mark', 'symbol'),
  });
  registerRoute(app, ctx, {
    method: 'GET', paths: ['/fapi/v1/indexPriceKlines'], security: 'NONE', weight: klineWeight,
    handler: klinesHandler(ctx, 'index', 'pair'),
  });
  registerRoute(app, ctx, {
    method: 'GET', paths: ['/fapi/v1/premiumIndex'], security: 'NONE', weight: 1,
    handler: ({ params, nowMs }) => {
      const instrument = optionalSymbol(ctx, params);
      if (instrument !== undefined) return premiumIndexJson(stateOf(ctx, instrument), nowMs);
      return all().map((state) => premiumIndexJson(state, nowMs));
    },
  });
  registerRoute(app, ctx, {
    method: 'GET', paths: ['/fapi/v1/fundingRate'], security: 'NONE', weight: 1,
    handler: ({ params }) => {
      const instrument = optionalSymbol(ctx, params);
      const limit = limitParam(params, 100, 1000);
      return ctx.store.funding(instrument?.symbol, { ...timeRange(params), limit }).map((row) => {
        const rowInstrument = ctx.instruments.get(row.symbol)!;
        return { symbol: row.symbol, fundingRate: rate(row.rateE8), fundingTime: row.fundingTimeMs,
          markPrice: price(rowInstrument, row.markTicks) };
      });
    },
  });
  registerRoute(app, ctx, {
    method: 'GET', paths: ['/fapi/v1/fundingInfo'], security: 'NONE', weight: 1,
    handler: () => [...ctx.instruments.values()].map((instrument) => ({
      symbol: instrument.symbol, adjustedFundingRateCap: rate(instrument.fundingCapE8),
      adjustedFundingRateFloor: rate(instrument.fundingFloorE8), fundingIntervalHours: instrument.fundingIntervalMs / 3_600_000,
      disclaimer: false,
    })),
  });
  registerRoute(app, ctx, {
    method: 'GET', paths: ['/fapi/v1/ticker/24hr'], security: 'NONE',
    weight: (params) => (params.has('symbol') ? 1 : 40),
    handler: ({ params }) => {
      const instrument = optionalSymbol(ctx, params);
      const nowMs = ctx.venueNow();
      const render = (state: SymbolState): Record<string, unknown> =>
        ticker24hJson(state.instrument, ticker24h(ctx.klines, state, nowMs));
      return instrument !== undefined ? render(stateOf(ctx, instrument)) : all().map(render);
    },
  });
  registerRoute(app, ctx, {
    method: 'GET', paths: ['/fapi/v1/ticker/price', '/fapi/v2/ticker/price'], security: 'NONE',
    weight: (params) => (params.has('symbol') ? 1 : 2),
    handler: ({ params, nowMs }) => {
      const instrument = optionalSymbol(ctx, params);
      const render = (state: SymbolState): Record<string, unknown> => ({
        symbol: state.instrument.symbol, price: price(state.instrument, state.lastTrade?.priceTicks ?? state.mark.markTicks),
        time: nowMs,
      });
      return instrument !== undefined ? render(stateOf(ctx, instrument)) : all().map(render);
    },
  });
  registerRoute(app, ctx, {
    method: 'GET', paths: ['/fapi/v1/ticker/bookTicker'], security: 'NONE',
    weight: (params) => (params.has('symbol') ? 2 : 5),
    handler: ({ params, nowMs }) => {
      const instrument = optionalSymbol(ctx, params);
      return instrument !== undefined ? bookTickerJson(stateOf(ctx, instrument), nowMs)
        : all().map((state) => bookTickerJson(state, nowMs));
    },
  });
  registerRoute(app, ctx, {
    method: 'GET', paths: ['/fapi/v1/openInterest'], security: 'NONE', weight: 1,
    handler: ({ params, nowMs }) => {
      const instrument = symbolParam(ctx, params);
      const market = ctx.engine.market(instrument.symbol);
      return { openInterest: qty(instrument, market.longOpenInterestLots), symbol: instrument.symbol, time: nowMs };
    },
  });
}
