/**
 * @module api/server
 * Assembles the API process: read models (caught up with the venue before the port opens), the
 * REST routes (exact /fapi paths on the raw node:http fast table, everything else through
 * fastify, where every route is registered too), the WebSocket hub on the same HTTP server, and
 * the error handling that keeps every failure in Binance's `{code,msg}` envelope with a 4xx
 * status. Request bodies are kept as raw strings (the signature covers them byte for byte);
 * nothing is parsed by fastify.
 */
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Instrument } from '../core/index.js';
import type { SurveillanceHost } from '../surveillance/host.js';
import type { Venue } from '../venue/venue.js';
import { ClientBans } from './auth/client-bans.js';
import { KeyStore } from './auth/keys.js';
import { DEFAULT_RATE_LIMITS, RateLimiter, type RateLimits } from './auth/rate-limit.js';
import { ReplayGuard } from './auth/replay.js';
import type { ApiContext, PriceSource } from './context.js';
import { ApiError, E } from './errors.js';
import { CopySharing } from './extra/copy-sharing.js';
import { registerExtras } from './extra/index.js';
import { KlineModel } from './read-models/klines.js';
import { MarketModel } from './read-models/market.js';
import type { VenueClock } from '../venue/venue-clock.js';
import { importKlineHistory, type KlineHistory } from './read-models/kline-history.js';
import { AdlRanking } from './read-models/position-figures.js';
import { MarketStatsSampler } from './read-models/market-stats.js';
import { Projector } from './read-models/projector.js';
import { ReadStore } from './read-models/store.js';
import { registerAccountRoutes } from './rest/account-routes.js';
import { registerAdminRoutes } from './rest/admin-routes.js';
import { registerAlgoRoutes } from './rest/algo-routes.js';
import { registerConfigRoutes } from './rest/config-routes.js';
import { registerParityRoutes } from './rest/parity-routes.js';
import { registerDataRoutes } from './rest/data-routes.js';
import { FastRoutes } from './rest/fast-routes.js';
import { registerMarketRoutes } from './rest/market-routes.js';
import type { RouteHost } from './rest/route.js';
import { registerTradeRoutes } from './rest/trade-routes.js';
import { registerUserStreamRoutes } from './rest/user-stream-routes.js';
import { registerSurveillance } from './surveillance/index.js';
import { SessionStore } from './web/sessions.js';
import { DEFAULT_WEB_ROOT } from './web/static.js';
import { answerClientError } from './net/client-errors.js';
import { ConnectionGuard, defaultConnectionLimits, type ConnectionLimits } from './net/connection-guard.js';
import { DEFAULT_WS_BUFFER_LIMITS, WsHub, type WsBufferLimits } from './ws/hub.js';
import { ListenKeys } from './ws/listen-keys.js';

export const MAX_BODY_BYTES = 64 * 1024;
/** A request's headers must arrive within this long of its first byte (or of the connection). */
export const DEFAULT_HEADERS_TIMEOUT_MS = 10_000;
/** A whole request (headers and body) must arrive within this long. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
/** Idle keep-alive connections are closed after this long. */
const KEEP_ALIVE_TIMEOUT_MS = 75_000;
/** How often Node checks the two timeouts above (its default, 30 s, would let them run 30 s late). */
const TIMEOUT_CHECK_INTERVAL_MS = 1_000;

/** What one server lets its clients hold: connections, time to send a request, WebSocket send buffers. */
export interface ServerLimits extends ConnectionLimits, WsBufferLimits {
  readonly headersTimeoutMs: number;
  readonly requestTimeoutMs: number;
}

export function defaultServerLimits(): ServerLimits {
  return { ...defaultConnectionLimits(), ...DEFAULT_WS_BUFFER_LIMITS,
    headersTimeoutMs: DEFAULT_HEADERS_TIMEOUT_MS, requestTimeoutMs: DEFAULT_REQUEST_TIMEOUT_MS };
}

export interface ServerOptions {
  /** The venue this server fronts; the server never closes it. */
  readonly venue: Venue;
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Default 8080; 0 picks a free port. */
  readonly port?: number;
  /** API keys and the read-model database live here; without it both are in memory. */
  readonly dataDir?: string;
  /** False keeps read models in memory even with a data directory (a non-durable venue). Default true. */
  readonly persistReadModels?: boolean;
  readonly adminToken: string;
  /** 'manual' (default) lets the operator API set index prices. */
  readonly priceSource?: PriceSource;
  readonly rateLimits?: Partial<RateLimits>;
  /** Connection, timeout and WebSocket buffer limits (defaults: defaultServerLimits()). */
  readonly limits?: Partial<ServerLimits>;
  /** Wall clock for timestamps and windows (default Date.now). */
  readonly now?: () => number;
  /** The venue's clock (the one its commands are stamped with), for the operator's clock routes; default: the wall clock. */
  readonly clock?: VenueClock;
  /**
   * How often buffered read-model rows go to the SQLite writer (default 100 ms; reads always flush
   * first). Shorter intervals make smaller hand-offs but cost the writer a transaction each (20 ms
   * measured ~10 µs more CPU per order in total than 100 ms).
   */
  readonly readModelFlushMs?: number;
  /** The built web UI served at / (default dist/web). */
  readonly webRoot?: string;
  /**
   * Runs before every HTTP request is routed: calls `proceed` to serve it (now or later) or answers
   * it itself. Scripted faults use it (`perpx serve --scenario`: latency, outages); unset, requests
   * go straight to routing.
   */
  readonly requestGate?: (request: IncomingMessage, response: ServerResponse, proceed: () => void) => void;
  /** Surveillance hosted by this process: its routes and streams are served (docs/surveillance.md). */
  readonly surveillance?: SurveillanceHost;
  /** Candles served as trade-kline history before the venue's first candle (kline-history.ts). */
  readonly klineHistory?: readonly KlineHistory[];
}

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly context: ApiContext;
  readonly limits: ServerLimits;
  readonly connections: ConnectionGuard;
  close(): Promise<void>;
}

/** An error reporter for background I/O that must not flood the log while a condition lasts. */
function warnAtMostEveryMinute(what: string): (error: Error) => void {
  let lastMs = -Infinity;
  return (error) => {
    const nowMs = Date.now();
    if (nowMs - lastMs < 60_000) return;
    lastMs = nowMs;
    console.error(`perpx: ${what}: ${error.message}`);
  };
}

function installErrorHandling(app: FastifyInstance): void {
  app.setNotFoundHandler((request, reply) => {
    const path = (request.raw.url ?? '/').split('?')[0]!.slice(0, 200);
    const error = E.notFound(request.method, path);
    return reply.code(error.status).type('application/json').send(JSON.stringify(error.toJSON()));
  });
  app.setErrorHandler((error: FastifyError, request, reply) => {
    let apiError: ApiError;
    if (error instanceof ApiError) apiError = error;
    else if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') apiError = new ApiError(-1101, 'Request body too large.', 413);
    else if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
      apiError = new ApiError(-1100, `Malformed request: ${error.message.slice(0, 200)}`, error.statusCode);
    } else {
      request.log.error(error);
      apiError = E.unknown();
    }
    return reply.code(apiError.status).type('application/json').send(JSON.stringify(apiError.toJSON()));
  });
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const venue = options.venue;
  const engine = venue.engine;
  const now = options.now ?? Date.now;
  const persist = options.persistReadModels ?? true;
  const store = new ReadStore(persist ? options.dataDir : undefined);
  const klines = new KlineModel(store);
  const market = new MarketModel(engine);
  const projector = new Projector(venue, store, klines, market);
  await projector.start(options.readModelFlushMs ?? 100);
  for (const history of options.klineHistory ?? []) importKlineHistory(store, history, engine.clockMs > 0 ? engine.clockMs : now());
  const instruments = new Map<string, Instrument>(engine.instruments.map((instrument) => [instrument.symbol, instrument]));
  const ctx: ApiContext = {
    venue, engine, instruments, store, klines, market, adl: new AdlRanking(engine, now),
    keys: new KeyStore(options.dataDir),
    replay: persist && options.dataDir !== undefined
      ? ReplayGuard.persistent(options.dataDir, now, warnAtMostEveryMinute('replay guard log'))
      : new ReplayGuard(),
    limiter: new RateLimiter({ ...DEFAULT_RATE_LIMITS, ...options.rateLimits }),
    bans: new ClientBans(),
    listenKeys: new ListenKeys(),
    copySharing: new CopySharing(options.dataDir),
    sessions: new SessionStore(),
    adminToken: options.adminToken,
    priceSource: options.priceSource ?? 'manual',
    now,
    clock: options.clock,
    venueNow: () => Math.max(options.clock?.now() ?? now(), engine.clockMs),
  };
  const limits: ServerLimits = { ...defaultServerLimits(), ...options.limits };
  const hub = new WsHub(ctx, limits);
  projector.addSink(hub);
  projector.addSink(new MarketStatsSampler(engine, store));
  const connections = new ConnectionGuard(limits);

  // Exact /fapi paths are answered by the fast table on the raw server; fastify gets the rest.
  const fast = new FastRoutes(MAX_BODY_BYTES);
  const app = Fastify({
    serverFactory: (fastifyHandler: RequestListener) => {
      const route = (req: IncomingMessage, res: ServerResponse): void => {
        connections.progress(req.socket);
        if (!fast.handle(req, res)) fastifyHandler(req, res);
      };
      const gate = options.requestGate;
      const server = createServer({
        headersTimeout: limits.headersTimeoutMs,
        requestTimeout: limits.requestTimeoutMs,
        connectionsCheckingInterval: TIMEOUT_CHECK_INTERVAL_MS,
      }, gate === undefined ? route : (req, res) => gate(req, res, () => route(req, res)));
      server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
      // No socket inactivity timeout: the header, request and keep-alive timeouts bound each phase.
      server.setTimeout(0);
      server.on('clientError', answerClientError);
      connections.attach(server);
      return server;
    },
    logger: false,
    bodyLimit: MAX_BODY_BYTES,
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
    return503OnClosing: false,
    routerOptions: { maxParamLength: 200, ignoreTrailingSlash: true },
  });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: MAX_BODY_BYTES }, (_request, body, done) => done(null, body));
  installErrorHandling(app);
  const routes: RouteHost = { fastify: app, fast };
  registerMarketRoutes(routes, ctx);
  registerAccountRoutes(routes, ctx);
  registerTradeRoutes(routes, ctx);
  registerAlgoRoutes(routes, ctx);
  registerConfigRoutes(routes, ctx);
  registerParityRoutes(routes, ctx);
  registerDataRoutes(routes, ctx);
  registerUserStreamRoutes(routes, ctx);
  registerAdminRoutes(app, ctx);
  const extras = registerExtras(routes, ctx, { dataDir: options.dataDir, webRoot: options.webRoot ?? DEFAULT_WEB_ROOT });
  const surveillance = options.surveillance === undefined ? undefined : registerSurveillance(routes, ctx, options.surveillance);
  app.server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    connections.upgraded(request.socket);
    if (surveillance?.handleUpgrade(request, socket, head) !== true) hub.handleUpgrade(request, socket, head);
  });

  await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 8080 });
  const address = app.server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closed = false;
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    context: ctx,
    limits,
    connections,
    close: async () => {
      if (closed) return;
      closed = true;
      await hub.close();
      extras.close();
      surveillance?.close();
      await app.close();
      projector.stop();
      store.close();
      ctx.replay.close();
    },
  };
}
