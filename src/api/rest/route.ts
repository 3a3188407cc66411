/**
 * @module api/rest/route
 * One place that runs Binance's request pipeline for every /fapi route: request weight (per IP and
 * per key, -1003), authentication by security type, order counting (-1015), parameter parsing
 * from the raw query and body, the handler, and the response with the usage headers. Handlers
 * receive parsed Params and the caller's account and return a JSON-ready value.
 *
 * The pipeline (`runRoute`) knows nothing about the HTTP framework: it takes the raw parts of a
 * request and fills a RouteResponse. Two transports call it with identical results: fastify (every
 * path variant fastify's router accepts) and the raw node:http fast path (`fast-routes.ts`, exact
 * paths only), which skips fastify's per-request machinery on the hot order routes.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  authenticateKey, checkPermission, normalizeIp, verifySigned, type Security,
} from '../auth/authenticate.js';
import type { ApiKeyRecord } from '../auth/keys.js';
import { sessionApiKey, sessionCredentials, type SessionCredentials } from '../web/sessions.js';
import type { ApiContext } from '../context.js';
import { ApiError, E } from '../errors.js';
import { Params } from '../params.js';
import type { FastRoutes } from './fast-routes.js';

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface ApiRequest {
  readonly params: Params;
  readonly ip: string;
  readonly nowMs: number;
  /** The authenticated key (USER_STREAM and signed routes). */
  readonly key: ApiKeyRecord | undefined;
  /** The key's account; 0 on public routes. */
  readonly accountId: number;
}

export interface RouteSpec {
  readonly method: Method;
  readonly paths: readonly string[];
  readonly security: Security;
  readonly weight: number | ((params: Params) => number);
  /** New orders this request places (for ORDERS limits). */
  readonly orders?: (params: Params) => number;
  readonly handler: (request: ApiRequest) => unknown;
}

/** Where routes are registered: fastify (all variants) and the exact-path fast table. */
export interface RouteHost {
  readonly fastify: FastifyInstance;
  readonly fast: FastRoutes;
}

/** The pipeline's answer. Usage counters are -1 when the request never got that far (no header then). */
export interface RouteResponse {
  status: number;
  /** JSON text. */
  body: string;
  usedWeight: number;
  orders10s: number;
  orders1m: number;
  /** A fault that is not an ApiError (a bug): each transport turns it into -1000 / 500. */
  fault: Error | undefined;
}

const replayScopes = new WeakMap<RouteSpec, string>();

/** The route identity a replayed signature is remembered under (built once per route). */
function replayScopeOf(spec: RouteSpec): string {
  let scope = replayScopes.get(spec);
  if (scope === undefined) {
    scope = `${spec.method} ${spec.paths[0] ?? ''} `;
    replayScopes.set(spec, scope);
  }
  return scope;
}

/**
 * Runs the pipeline for one request; never throws (faults come back in `fault`). A browser session
 * (`session`, web/sessions.ts) stands in for the API key header when none is sent: it resolves to
 * its account's key, and its CSRF check replaces the signature; everything else is the same.
 */
export async function runRoute(ctx: ApiContext, spec: RouteSpec, ip: string, apiKeyHeader: string | undefined,
  rawQuery: string, rawBody: string, session?: SessionCredentials): Promise<RouteResponse> {
  const out: RouteResponse = { status: 200, body: '', usedWeight: -1, orders10s: -1, orders1m: -1, fault: undefined };
  const nowMs = ctx.now();
  try {
    let params: Params | undefined;
    let weight = typeof spec.weight === 'number' ? spec.weight : 1;
    if (typeof spec.weight === 'function') {
      params = Params.fromRaw(rawQuery, rawBody);
      weight = spec.weight(params);
    }
    const sessionKey = apiKeyHeader === undefined ? sessionApiKey(ctx.sessions, session, nowMs) : undefined;
    const keyHeader = apiKeyHeader ?? sessionKey;
    const knownKey = keyHeader !== undefined && ctx.keys.get(keyHeader) !== undefined ? keyHeader : undefined;
    const usage = ctx.limiter.weigh(ip, knownKey, weight, nowMs);
    out.usedWeight = usage.used;
    if (usage.over) throw E.tooManyRequests(ctx.limiter.limits.weightPerMinute);
    params ??= Params.fromRaw(rawQuery, rawBody);
    let key: ApiKeyRecord | undefined;
    if (spec.security !== 'NONE') {
      key = authenticateKey(ctx, keyHeader, ip);
      if (sessionKey !== undefined) ctx.sessions.authorize(session!, spec.method, nowMs);
      else if (spec.security !== 'USER_STREAM') {
        verifySigned(ctx, key, params, rawQuery, rawBody, nowMs, spec.method === 'GET' ? undefined : replayScopeOf(spec));
      }
      checkPermission(key, spec.security);
      const orders = spec.orders?.(params) ?? 0;
      if (orders > 0) {
        const count = ctx.limiter.countOrders(key.apiKey, orders, nowMs);
        out.orders10s = count.orders10s;
        out.orders1m = count.orders1m;
        if (count.exceeded === '10s') throw E.tooManyOrders(ctx.limiter.limits.ordersPer10s, '10 seconds');
        if (count.exceeded === '1m') throw E.tooManyOrders(ctx.limiter.limits.ordersPerMinute, '1 minute');
      }
    }
    const result = await spec.handler({ params, ip, nowMs, key, accountId: key?.accountId ?? 0 });
    out.body = JSON.stringify(result);
  } catch (error) {
    if (error instanceof ApiError) {
      out.status = error.status;
      out.body = JSON.stringify(error.toJSON());
    } else {
      out.fault = error instanceof Error ? error : new Error(String(error));
    }
  }
  return out;
}

function fastifyHandler(ctx: ApiContext, spec: RouteSpec) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const url = request.raw.url ?? '';
    const q = url.indexOf('?');
    const headerKey = request.headers['x-mbx-apikey'];
    const out = await runRoute(ctx, spec, normalizeIp(request.ip), typeof headerKey === 'string' ? headerKey : undefined,
      q < 0 ? '' : url.slice(q + 1), typeof request.body === 'string' ? request.body : '', sessionCredentials(request.headers));
    if (out.usedWeight >= 0) reply.header('X-MBX-USED-WEIGHT-1M', String(out.usedWeight));
    if (out.orders10s >= 0) {
      reply.header('X-MBX-ORDER-COUNT-10S', String(out.orders10s));
      reply.header('X-MBX-ORDER-COUNT-1M', String(out.orders1m));
    }
    // Not an ApiError: fastify's error handler logs it and answers -1000.
    if (out.fault !== undefined) throw out.fault;
    return reply.code(out.status).type('application/json').send(out.body);
  };
}

export function registerRoute(host: RouteHost, ctx: ApiContext, spec: RouteSpec): void {
  const handler = fastifyHandler(ctx, spec);
  for (const path of spec.paths) host.fastify.route({ method: spec.method, url: path, handler });
  host.fast.add(ctx, spec);
}
