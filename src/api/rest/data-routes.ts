/**
 * @module api/rest/data-routes
 * Market statistics computed from the venue's own history: /futures/data/openInterestHist, the
 * long/short ratios (global and top traders, market-stats.ts samples them), takerlongshortRatio
 * and basis (from trade and index klines); and the index endpoints /fapi/v1/indexInfo (no composite indices: always
 * empty) and /fapi/v1/constituents (the venue's one price source). Ratios are truncated to
 * RATIO_DECIMALS, as Binance prints them.
 */
import { formatScaled, type Instrument } from '../../core/index.js';
import type { ApiContext } from '../context.js';
import { E } from '../errors.js';
import { money, price, qty } from '../format.js';
import type { Params } from '../params.js';
import { marketStats, type TimeWindow } from '../read-models/history-queries.js';
import { closeTimeOf, type Interval } from '../read-models/klines.js';
import type { MarketStatRow } from '../read-models/store.js';
import { optionalSymbol, symbolParam } from './market-routes.js';
import { registerRoute, type RouteHost } from './route.js';

const RATIO_DECIMALS = 4;
const RATIO_SCALE = 10n ** BigInt(RATIO_DECIMALS);
const DATA_DEFAULT_LIMIT = 30;
const DATA_MAX_LIMIT = 500;
const MINUTE_MS = 60_000;
/** Binance's /futures/data periods and their length. */
const PERIODS: Readonly<Record<string, number>> = {
  '5m': 5 * MINUTE_MS, '15m': 15 * MINUTE_MS, '30m': 30 * MINUTE_MS, '1h': 60 * MINUTE_MS, '2h': 120 * MINUTE_MS,
  '4h': 240 * MINUTE_MS, '6h': 360 * MINUTE_MS, '12h': 720 * MINUTE_MS, '1d': 1440 * MINUTE_MS,
};

/** num / den truncated to RATIO_DECIMALS ("0.0000" when den is 0: no accounts on that side). */
export function ratioText(num: number | bigint, den: number | bigint): string {
  const d = BigInt(den);
  return formatScaled(d === 0n ? 0n : (BigInt(num) * RATIO_SCALE) / d, RATIO_DECIMALS);
}

function periodParam(params: Params): { period: Interval; periodMs: number } {
  const period = params.required('period');
  const periodMs = PERIODS[period];
  if (periodMs === undefined) throw E.illegalValue('period', `one of ${Object.keys(PERIODS).join(', ')}`);
  return { period: period as Interval, periodMs };
}

function dataWindow(params: Params): TimeWindow {
  const startTime = params.uint('startTime');
  const endTime = params.uint('endTime');
  if (startTime !== undefined && endTime !== undefined && startTime > endTime) {
    throw E.illegalValue('startTime', 'startTime must not be after endTime');
  }
  return { limit: params.uint('limit', { min: 1, max: DATA_MAX_LIMIT }) ?? DATA_DEFAULT_LIMIT,
    ...(startTime === undefined ? {} : { startTime }), ...(endTime === undefined ? {} : { endTime }) };
}

/** A price difference in ticks as a signed decimal. */
function signedPrice(instrument: Instrument, ticks: number): string {
  return ticks < 0 ? `-${price(instrument, -ticks)}` : price(instrument, ticks);
}

/** num / den (den > 0) truncated toward zero to RATIO_DECIMALS, signed. */
function signedRatio(num: number, den: number): string {
  const magnitude = ratioText(Math.abs(num), den);
  return num < 0 && /[1-9]/.test(magnitude) ? `-${magnitude}` : magnitude;
}

/** A long/short ratio row: long and short shares of `long + short`, and their ratio. */
function ratioRow(symbol: string, long: number, short: number, timeMs: number): Record<string, unknown> {
  return { symbol, longShortRatio: ratioText(long, short), longAccount: ratioText(long, long + short),
    shortAccount: ratioText(short, long + short), timestamp: timeMs };
}

function statsRoute(app: RouteHost, ctx: ApiContext, path: string,
  render: (instrument: Instrument, row: MarketStatRow) => Record<string, unknown>): void {
  registerRoute(app, ctx, {
    method: 'GET', paths: [path], security: 'NONE', weight: 1,
    handler: ({ params }) => {
      const instrument = symbolParam(ctx, params);
      const { periodMs } = periodParam(params);
      return marketStats(ctx.store, instrument.symbol, periodMs, dataWindow(params)).map((row) => render(instrument, row));
    },
  });
}

export function registerDataRoutes(app: RouteHost, ctx: ApiContext): void {
  statsRoute(app, ctx, '/futures/data/openInterestHist', (instrument, row) => ({
    symbol: row.symbol, sumOpenInterest: qty(instrument, row.openInterestLots),
    sumOpenInterestValue: money(BigInt(row.openInterestLots) * BigInt(row.markTicks) * instrument.quotePerTickLotE8),
    timestamp: row.timeMs,
  }));
  statsRoute(app, ctx, '/futures/data/globalLongShortAccountRatio',
    (_instrument, row) => ratioRow(row.symbol, row.longAccounts, row.shortAccounts, row.timeMs));
  statsRoute(app, ctx, '/futures/data/topLongShortAccountRatio',
    (_instrument, row) => ratioRow(row.symbol, row.topLongAccounts, row.topShortAccounts, row.timeMs));
  statsRoute(app, ctx, '/futures/data/topLongShortPositionRatio',
    (_instrument, row) => ratioRow(row.symbol, row.topLongLots, row.topShortLots, row.timeMs));
  registerRoute(app, ctx, {
    method: 'GET', paths: ['/futures/data/takerlongshortRatio'], security: 'NONE', weight: 1,
    handler: ({ params }) => {
      const instrument = symbolParam(ctx, params);
      const { period } = periodParam(params);
      const nowMs = ctx.venueNow();
      // Only closed periods, as Binance publishes them.
      return ctx.klines.query(instrument.symbol, 'trade', period, { ...dataWindow(params), nowMs })
        .filter((row) => closeTimeOf(period, row.openTimeMs) < nowMs)
        .map((row) => {
          const sellLots = row.volumeLots - row.takerBuyLots;
          return { buySellRatio: ratioText(row.takerBuyLots, sellLots), buyVol: qty(instrument, row.takerBuyLots),
            sellVol: qty(instrument, sellLots), timestamp: row.openTimeMs };
        });
    },
  });
  registerRoute(app, ctx, {
    method: 'GET', paths: ['/futures/data/basis'], security: 'NONE', weight: 1,
    handler: ({ params }) => {
      const instrument = symbolParam(ctx, params, 'pair');
      params.enumOf('contractType', ['PERPETUAL'], () => E.illegalValue('contractType', 'PERPETUAL (perpx lists perpetuals only)'), true);
      const { period } = periodParam(params);
      const nowMs = ctx.venueNow();
      const window = { ...dataWindow(params), nowMs };
      const index = new Map(ctx.klines.query(instrument.symbol, 'index', period, window).map((row) => [row.openTimeMs, row.close]));
      // Closed periods with both prices: the last trade's close against the index's close.
      return ctx.klines.query(instrument.symbol, 'trade', period, window)
        .filter((row) => closeTimeOf(period, row.openTimeMs) < nowMs && (index.get(row.openTimeMs) ?? 0) > 0)
        .map((row) => {
          const indexTicks = index.get(row.openTimeMs)!;
          const basisTicks = row.close - indexTicks;
          return { pair: instrument.symbol, contractType: 'PERPETUAL', futuresPrice: price(instrument, row.close),
            indexPrice: price(instrument, indexTicks), basis: signedPrice(instrument, basisTicks),
            basisRate: signedRatio(basisTicks, indexTicks), annualizedBasisRate: '', timestamp: row.openTimeMs };
        });
    },
  });
  registerRoute(app, ctx, {
    method: 'GET', paths: ['/fapi/v1/indexInfo'], security: 'NONE', weight: 1,
    handler: ({ params }) => {
      optionalSymbol(ctx, params);
      // perpx lists no composite-index symbols.
      return [];
    },
  });
  registerRoute(app, ctx, {
    method: 'GET', paths: ['/fapi/v1/constituents'], security: 'NONE', weight: 2,
    handler: ({ params, nowMs }) => {
      const instrument = symbolParam(ctx, params);
      const indexTicks = ctx.market.get(instrument.symbol)?.mark.indexTicks ?? 0;
      const source = ctx.priceSource.startsWith('replay:') ? 'replay' : ctx.priceSource;
      return { symbol: instrument.symbol, time: nowMs, constituents: [
        { exchange: `perpx-${source}`, symbol: instrument.symbol, price: price(instrument, indexTicks), weight: '1.00000000' },
      ] };
    },
  });
}
