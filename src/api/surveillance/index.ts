/**
 * @module api/surveillance
 * Surveillance on the API port, when the process hosts it (`perpx serve`, unless `--no-surveil`):
 * operator routes (`/admin/v1/surveillance/*`), account routes (`/fapi/v1/apiTradingStatus`,
 * `/perpx/v1/heatmap`, `/perpx/v1/alerts`) and the two WebSocket streams. docs/surveillance.md
 * documents them.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { SurveillanceHost } from '../../surveillance/host.js';
import type { ApiContext } from '../context.js';
import type { RouteHost } from '../rest/route.js';
import { registerOperatorRoutes } from './operator-routes.js';
import { SurveillanceSockets } from './sockets.js';
import { registerUserRoutes } from './user-routes.js';

export interface SurveillanceRoutes {
  /** True when the upgrade was surveillance's (handled or refused). */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  close(): void;
}

export function registerSurveillance(routes: RouteHost, ctx: ApiContext, host: SurveillanceHost): SurveillanceRoutes {
  registerOperatorRoutes(routes.fastify, ctx, host);
  registerUserRoutes(routes, ctx, host);
  const sockets = new SurveillanceSockets(ctx, host);
  return {
    handleUpgrade: (request, socket, head) => sockets.handleUpgrade(request, socket, head),
    close: () => sockets.close(),
  };
}
