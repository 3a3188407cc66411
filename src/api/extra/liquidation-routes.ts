/**
 * @module api/extra/liquidation-routes
 * Liquidation history and the "why was I liquidated" report:
 * - `GET /perpx/v1/liquidations` (USER_DATA): the caller's liquidations, newest first (`limit` ≤ 100,
 *   `beforeId` to page);
 * - `GET /perpx/v1/liquidations/why?id=` (USER_DATA): the report of one of the caller's liquidations
 *   (another account's id answers -9004 as a missing one does);
 * - `GET /perpx/v1/admin/liquidations` (`accountId` optional) and `/perpx/v1/admin/liquidations/why?id=`:
 *   the same for the operator, any account.
 */
import type { FastifyInstance } from 'fastify';
import type { ApiContext } from '../context.js';
import { ApiError } from '../errors.js';
import type { Params } from '../params.js';
import type { LiquidationRow } from '../read-models/store.js';
import { registerRoute, type RouteHost } from '../rest/route.js';
import { operatorRoute, queryInt } from './operator-route.js';
import { liquidationSummary, type WhyBuilder } from './why.js';

export const MAX_LIQUIDATIONS_PAGE = 100;
const noSuchLiquidation = (): ApiError => new ApiError(-9004, 'Liquidation does not exist.', 404);

function listParams(params: Params): { limit: number; beforeId: number | undefined } {
  return { limit: params.uint('limit', { min: 1, max: MAX_LIQUIDATIONS_PAGE }) ?? 50, beforeId: params.uint('beforeId', { min: 1 }) };
}

function found(row: LiquidationRow | undefined, accountId: number | undefined): LiquidationRow {
  if (row === undefined || (accountId !== undefined && row.accountId !== accountId)) throw noSuchLiquidation();
  return row;
}

export function registerLiquidationRoutes(routes: RouteHost, app: FastifyInstance, ctx: ApiContext, why: WhyBuilder): void {
  registerRoute(routes, ctx, {
    method: 'GET', paths: ['/perpx/v1/liquidations'], security: 'USER_DATA', weight: 5,
    handler: ({ params, accountId }) => {
      const { limit, beforeId } = listParams(params);
      return ctx.store.liquidations(accountId, limit, beforeId).map((row) => liquidationSummary(ctx, row));
    },
  });
  registerRoute(routes, ctx, {
    method: 'GET', paths: ['/perpx/v1/liquidations/why'], security: 'USER_DATA', weight: 20,
    handler: ({ params, accountId }) => why.build(found(ctx.store.liquidation(params.uint('id', { required: true, min: 1 })), accountId)),
  });
  operatorRoute(app, ctx, 'GET', '/perpx/v1/admin/liquidations', 'operator', (request) => {
    const limit = queryInt(request, 'limit', MAX_LIQUIDATIONS_PAGE) ?? 50;
    return ctx.store.liquidations(queryInt(request, 'accountId'), limit, queryInt(request, 'beforeId'))
      .map((row) => liquidationSummary(ctx, row));
  });
  operatorRoute(app, ctx, 'GET', '/perpx/v1/admin/liquidations/why', 'operator', (request) => {
    const id = queryInt(request, 'id');
    if (id === undefined) throw new ApiError(-1102, "Mandatory parameter 'id' was not sent, was empty/null, or malformed.");
    return why.build(found(ctx.store.liquidation(id), undefined));
  });
}
