/**
 * @module api/surveillance/user-routes
 * What surveillance shows an account holder (signed with an API key, or an account session):
 * - `GET /fapi/v1/apiTradingStatus` (USER_DATA; weight 1 with a symbol, 10 without): Binance's
 *   quantitative-rules indicators and restrictions of the caller, fed by M2;
 * - `GET /perpx/v1/heatmap` (USER_DATA, weight 5): the exact liquidation heatmap (aggregates only:
 *   notional by price level, side and leverage band; no account is identifiable);
 * - `GET /perpx/v1/alerts` (USER_DATA, weight 5): the caller's own risk and conduct alerts (E1, E2,
 *   B1, B2, M2) — not the market-abuse investigations, which would tip off their subject.
 */
import type { SurveillanceHost } from '../../surveillance/host.js';
import type { ApiContext } from '../context.js';
import { registerRoute, type RouteHost } from '../rest/route.js';
import { optionalSymbol } from '../rest/market-routes.js';
import { heatmapSnapshot } from './heatmap-query.js';

/** Alerts an account may read about itself. */
export const USER_VISIBLE_CODES = ['E1', 'E2', 'B1', 'B2', 'M2'] as const;
const MAX_USER_ALERTS = 100;

export function registerUserRoutes(routes: RouteHost, ctx: ApiContext, host: SurveillanceHost): void {
  registerRoute(routes, ctx, {
    method: 'GET', paths: ['/fapi/v1/apiTradingStatus'], security: 'USER_DATA', weight: (params) => (params.has('symbol') ? 1 : 10),
    handler: ({ params, accountId }) => {
      const symbol = optionalSymbol(ctx, params)?.symbol;
      return host.surveillance.detectors.quantRules.tradingStatus(accountId, host.surveillance.lastAtMs, symbol);
    },
  });
  registerRoute(routes, ctx, {
    method: 'GET', paths: ['/perpx/v1/heatmap'], security: 'USER_DATA', weight: 5,
    handler: ({ params }) => heatmapSnapshot(host, ctx.instruments, {
      symbol: params.required('symbol'), ...optional(params.optional('step'), 'step'), ...optional(params.optional('from'), 'from'),
      ...optional(params.optional('to'), 'to'),
    }),
  });
  registerRoute(routes, ctx, {
    method: 'GET', paths: ['/perpx/v1/alerts'], security: 'USER_DATA', weight: 5,
    handler: ({ params, accountId }) => {
      const limit = params.uint('limit', { min: 1, max: MAX_USER_ALERTS }) ?? 50;
      const stored = host.audit.list({ accountId, codes: [...USER_VISIBLE_CODES], limit });
      return stored.map(({ alert }) => ({
        id: alert.id, code: alert.code, name: alert.name, severity: alert.severity, time: alert.atMs, symbol: alert.symbol,
        message: alert.message, inputs: alert.inputs, threshold: alert.threshold, ...(alert.policy === undefined ? {} : { policy: alert.policy }),
      }));
    },
  });
}

function optional(value: string | undefined, name: string): Record<string, string> {
  return value === undefined ? {} : { [name]: value };
}
