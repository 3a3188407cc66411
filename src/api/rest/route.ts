/**
 * @module api/rest/route
 * One place that runs Binance's request pipeline for every /fapi route: the client's ban (418),
 * request weight per client (-1003), authentication by security type, request weight per key once
 * the signature has verified (-1003), replay, order counting per account (-1015), parameter
 * parsing from the raw query and body, the handler, and the response with the usage headers and,
 * on 429 and 418, Retry-After. Handlers receive parsed Params and the caller's account and return
 * a JSON-ready value.
 *
 * The pipeline (`runRoute`) knows nothing about the HTTP framework: it takes the raw parts of a
 * request and fills a RouteResponse. Two transports call it with identical results: fastify (every
 * path variant fastify's router accepts) and the raw node:http fast path (`fast-routes.ts`, exact
 * paths only), which skips fastify's per-request machinery on the hot order routes.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  admitReplay, authenticateKey, checkPermission, normalizeIp, verifySigned, type Security, type VerifiedRequest,
} from '../auth/authenticate.js';
import type { ApiKeyRecord } from '../auth/keys.js';
import { sessionApiKey, sessionCredentials, type SessionCredentials } from '../web/sessions.js';
import type { ApiContext } from '../context.js';
import { ApiError, E } from '../errors.js';
import { clientKeyOf } from '../net/client-address.js';
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
  /** The signed request's `timestamp` (0 when not signed). */
  readonly timestampMs: number;
}

export interface RouteSpec {
  readonly method: Method;
  readonly paths: readonly string[];
  readonly security: Security;
  readonly weight: number | ((params: Params) => number);
  /** New orders this request places (for ORDERS limits). */
  readonly orders?: (params: Params) => number;
  /**
   * Whether a signed state-changing request is replay-checked (default: yes). Order placements
   * are only when they carry a client order id (docs/api.md, Security: two identical orders
   * without one are two orders).
   */
  readonly replayChecked?: (params: Params) => boolean;
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
  /** Retry-After seconds (-1: no header). */
  retryAfterS: number;
  /** A fault that is not an ApiError (a bug): each transport turns it into -1000 / 500. */
  fault: Error | undefined;
  /** The body's content type: JSON unless the handler answered a TextAnswer. */
  contentType: string;
}

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/** A handler's answer that is not JSON (e.g. a CSV export): sent as is, with its content type. */
export class TextAnswer {
  constructor(readonly contentType: string, readonly text: string) {}
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
  const out: RouteResponse = { status: 200, body: '', usedWeight: -1, orders10s: -1, orders1m: -1, retryAfterS: -1, fault: undefined,
    contentType: JSON_CONTENT_TYPE };
  const nowMs = ctx.now();
  const client = clientKeyOf(ip);
  try {
    const bannedUntil = ctx.bans.bannedUntil(client, nowMs);
    if (bannedUntil > 0) throw E.banned(bannedUntil, nowMs);
    let params: Params | undefined;
    let weight = typeof spec.weight === 'number' ? spec.weight : 1;
    if (typeof spec.weight === 'function') {
      params = Params.fromRaw(rawQuery, rawBody);
      weight = spec.weight(params);
    }
    const limits = ctx.limiter.limits;
    const byClient = ctx.limiter.weighClient(client, weight, nowMs);
    out.usedWeight = byClient.used;
    if (byClient.over) throw E.tooManyRequests(limits.weightPerMinute, byClient.retryAfterS);
    params ??= Params.fromRaw(rawQuery, rawBody);
    const sessionKey = apiKeyHeader === undefined ? sessionApiKey(ctx.sessions, session, nowMs) : undefined;
    let key: ApiKeyRecord | undefined;
    let verified: VerifiedRequest | undefined;
    if (spec.security !== 'NONE') {
      key = authenticateKey(ctx, apiKeyHeader ?? sessionKey, ip);
      if (sessionKey !== undefined) ctx.sessions.authorize(session!, spec.method, nowMs);
      else if (spec.security !== 'USER_STREAM') verified = verifySigned(key, params, rawQuery, rawBody, nowMs);
      // A key's weight counts once its signature (or session) is verified, never before.
      if (sessionKey !== undefined || verified !== undefined) {
        const byKey = ctx.limiter.weighKey(key.apiKey, weight, nowMs);
        if (byKey.used > out.usedWeight) out.usedWeight = byKey.used;
        if (byKey.over) throw E.tooManyRequests(limits.weightPerMinute, byKey.retryAfterS);
      }
      checkPermission(key, spec.security);
      if (verified !== undefined && spec.method !== 'GET' && (spec.replayChecked?.(params) ?? true)) {
        admitReplay(ctx, replayScopeOf(spec), verified, nowMs);
      }
      const orders = spec.orders?.(params) ?? 0;
      if (orders > 0) {
        const count = ctx.limiter.countOrders(key.accountId, orders, nowMs);
        out.orders10s = count.orders10s;
        out.orders1m = count.orders1m;
        if (count.exceeded === '10s') throw E.tooManyOrders(limits.ordersPer10s, '10 seconds', count.retryAfterS);
        if (count.exceeded === '1m') throw E.tooManyOrders(limits.ordersPerMinute, '1 minute', count.retryAfterS);
      }
    }
    // A session request has no signed timestamp; its own arrival time tells requests apart.
    const result = await spec.handler({ params, ip, nowMs, key, accountId: key?.accountId ?? 0,
      timestampMs: verified?.timestampMs ?? (sessionKey !== undefined ? nowMs : 0) });
    if (result instanceof TextAnswer) {
      out.body = result.text;
      out.contentType = result.contentType;
    } else {
      out.body = JSON.stringify(result);
    }
  } catch (error) {
    if (error instanceof ApiError) {
      out.status = error.status;
      out.body = JSON.stringify(error.toJSON());
      if (error.retryAfterS !== undefined) out.retryAfterS = error.retryAfterS;
      if (error.status === 429) ctx.bans.noteRejection(client, nowMs);
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
    if (out.retryAfterS >= 0) reply.header('Retry-After', String(out.retryAfterS));
    // Not an ApiError: fastify's error handler logs it and answers -1000.
    if (out.fault !== undefined) throw out.fault;
    return reply.code(out.status).type(out.contentType).send(out.body);
  };
}

export function registerRoute(host: RouteHost, ctx: ApiContext, spec: RouteSpec): void {
  const handler = fastifyHandler(ctx, spec);
  for (const path of spec.paths) host.fastify.route({ method: spec.method, url: path, handler });
  host.fast.add(ctx, spec);
}
