/**
 * @module api/rest/parity-routes
 * Smaller Binance USDⓈ-M endpoints bots call (issue 14): the insurance fund balance, the symbols'
 * ADL risk, the caller's order rate limits, the Multi-Assets switch (refused: USDT margin only) and
 * the countdown cancel-all dead man's switch. docs/api.md lists what differs from Binance.
 */
import type { Instrument } from '../../core/index.js';
import type { ApiContext } from '../context.js';
import { ApiError, E } from '../errors.js';
import { money } from '../format.js';
import { optionalSymbol, symbolParam } from './market-routes.js';
import { registerRoute, type RouteHost } from './route.js';
import { submit } from './submit.js';

/** countdownCancelAll's longest countdown (Binance states none; a day bounds the timers held). */
export const MAX_COUNTDOWN_MS = 86_400_000;
/**
 * symbolAdlRisk's bands: the insurance fund against the symbol's open interest notional at mark.
 * Binance does not publish its rule; below 0.1 % the fund could not absorb a 0.1 % bankrupt tail.
 */
const ADL_RISK_HIGH_BELOW_BPS = 10n;
const ADL_RISK_MEDIUM_BELOW_BPS = 100n;
const BPS = 10_000n;

function adlRisk(ctx: ApiContext, instrument: Instrument): Record<string, unknown> {
  const view = ctx.engine.marketView(instrument.symbol);
  const notionalE8 = BigInt(view.openInterestLots) * BigInt(view.markTicks) * instrument.quotePerTickLotE8;
  const fundBps = notionalE8 === 0n ? BPS : (view.insuranceFundE8 * BPS) / notionalE8;
  const risk = fundBps < ADL_RISK_HIGH_BELOW_BPS ? 'high' : fundBps < ADL_RISK_MEDIUM_BELOW_BPS ? 'medium' : 'low';
  return { symbol: instrument.symbol, adlRisk: risk, updateTime: ctx.venueNow() };
}

/** One countdown per account and symbol; a new call replaces it, 0 stops it. Wall-clock timers (a client heartbeat). */
class Countdowns {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  set(ctx: ApiContext, accountId: number, symbol: string, countdownMs: number): void {
    const key = `${accountId}:${symbol}`;
    const previous = this.timers.get(key);
    if (previous !== undefined) clearTimeout(previous);
    this.timers.delete(key);
    if (countdownMs === 0) return;
    const timer = setTimeout(() => {
      this.timers.delete(key);
      // A venue closed meanwhile has nothing left to cancel into; the journal holds what was.
      submit(ctx, { type: 'CancelAllOrders', accountId, symbol, scope: 'REGULAR' }).catch(() => undefined);
    }, countdownMs);
    timer.unref();
    this.timers.set(key, timer);
  }
}

export function registerParityRoutes(app: RouteHost, ctx: ApiContext): void {
  const countdowns = new Countdowns();
  registerRoute(app, ctx, {
    method: 'GET', paths: ['/fapi/v1/insuranceBalance'], security: 'NONE', weight: 1,
    handler: ({ params }) => {
      const instrument = optionalSymbol(ctx, params);
      const ledger = ctx.engine.ledger();
      // One fund backs every symbol (perpx has one margin group, USDT).
      const group = { symbols: [...ctx.instruments.keys()],
        assets: [{ asset: 'USDT', marginBalance: money(ledger.insuranceFundE8), updateTime: ctx.venueNow() }] };
      return instrument === undefined ? [{ marginGroup: 'USDT', ...group }] : group;
    },
  });
  registerRoute(app, ctx, {
    method: 'GET', paths: ['/fapi/v1/symbolAdlRisk'], security: 'NONE', weight: 1,
    handler: ({ params }) => {
      const instrument = optionalSymbol(ctx, params);
      return instrument === undefined ? [...ctx.instruments.values()].map((each) => adlRisk(ctx, each)) : adlRisk(ctx, instrument);
    },
  });
  registerRoute(app, ctx, {
    method: 'GET', paths: ['/fapi/v1/rateLimit/order'], security: 'USER_DATA', weight: 1,
    handler: () => [
      { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: ctx.limiter.limits.ordersPer10s },
      { rateLimitType: 'ORDERS', interval: 'MINUTE', intervalNum: 1, limit: ctx.limiter.limits.ordersPerMinute },
    ],
  });
  registerRoute(app, ctx, {
    method: 'POST', paths: ['/fapi/v1/multiAssetsMargin'], security: 'TRADE', weight: 1,
    handler: ({ params }) => {
      const on = params.bool('multiAssetsMargin');
      if (on === undefined) throw E.mandatory('multiAssetsMargin');
      if (on) throw new ApiError(-9120, 'Multi-Assets mode is not supported: perpx margins in USDT only.');
      return { code: 200, msg: 'success' };
    },
  });
  registerRoute(app, ctx, {
    method: 'POST', paths: ['/fapi/v1/countdownCancelAll'], security: 'TRADE', weight: 10,
    handler: ({ params, accountId }) => {
      const instrument = symbolParam(ctx, params);
      const countdownMs = params.uint('countdownTime', { required: true, max: MAX_COUNTDOWN_MS });
      countdowns.set(ctx, accountId, instrument.symbol, countdownMs);
      return { symbol: instrument.symbol, countdownTime: String(countdownMs) };
    },
  });
}
