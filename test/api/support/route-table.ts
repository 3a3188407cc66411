/**
 * The Binance-compatible REST routes the server registers (method and path), read from the same
 * register functions the server calls, with a host that only records them. The conformance suite
 * checks that its clients reached every one.
 */
import type { ApiContext } from '../../../src/api/context.js';
import { registerAccountRoutes } from '../../../src/api/rest/account-routes.js';
import { registerAlgoRoutes } from '../../../src/api/rest/algo-routes.js';
import { registerConfigRoutes } from '../../../src/api/rest/config-routes.js';
import { registerDataRoutes } from '../../../src/api/rest/data-routes.js';
import { registerMarketRoutes } from '../../../src/api/rest/market-routes.js';
import { registerParityRoutes } from '../../../src/api/rest/parity-routes.js';
import type { RouteHost } from '../../../src/api/rest/route.js';
import { registerTradeRoutes } from '../../../src/api/rest/trade-routes.js';
import { registerUserStreamRoutes } from '../../../src/api/rest/user-stream-routes.js';

export interface RouteId {
  readonly method: string;
  readonly path: string;
}

export function binanceRoutes(): RouteId[] {
  const routes: RouteId[] = [];
  const host = {
    fastify: { route: (options: { method: string; url: string }) => routes.push({ method: options.method, path: options.url }) },
    fast: { add: () => undefined },
  } as unknown as RouteHost;
  // Registration only builds handlers; nothing reads the context until a request arrives.
  const ctx = {} as ApiContext;
  for (const register of [registerMarketRoutes, registerAccountRoutes, registerTradeRoutes, registerAlgoRoutes,
    registerUserStreamRoutes, registerConfigRoutes, registerDataRoutes, registerParityRoutes]) register(host, ctx);
  return routes;
}
