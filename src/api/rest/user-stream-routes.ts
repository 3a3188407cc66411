/**
 * @module api/rest/user-stream-routes
 * POST/PUT/DELETE /fapi/v1/listenKey (security USER_STREAM: API-key header, no signature).
 */
import type { ApiContext } from '../context.js';
import { E } from '../errors.js';
import { registerRoute, type RouteHost } from './route.js';

export function registerUserStreamRoutes(app: RouteHost, ctx: ApiContext): void {
  registerRoute(app, ctx, {
    method: 'POST', paths: ['/fapi/v1/listenKey'], security: 'USER_STREAM', weight: 1,
    handler: ({ key, nowMs }) => ({ listenKey: ctx.listenKeys.createOrExtend(key!.apiKey, key!.accountId, nowMs).listenKey }),
  });
  registerRoute(app, ctx, {
    method: 'PUT', paths: ['/fapi/v1/listenKey'], security: 'USER_STREAM', weight: 1,
    handler: ({ key, nowMs }) => {
      const record = ctx.listenKeys.keepAlive(key!.apiKey, nowMs);
      if (record === undefined) throw E.badListenKey();
      return { listenKey: record.listenKey };
    },
  });
  registerRoute(app, ctx, {
    method: 'DELETE', paths: ['/fapi/v1/listenKey'], security: 'USER_STREAM', weight: 1,
    handler: ({ key, nowMs }) => {
      ctx.listenKeys.close(key!.apiKey, nowMs);
      return {};
    },
  });
}
