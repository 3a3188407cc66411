/**
 * @module api/rest/route
 * One place that runs Binance's request pipeline for every /fapi route: request weight (per IP and
 * per key, -1003), authentication by security type, order counting (-1015), parameter parsing
 * from the raw query and body, the handler, and the response with the usage headers. Handlers
 * receive parsed Params and the caller's account and return a JSON-ready value.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  authenticateKey, checkPermission, normalizeIp, verifySigned, type Security,
} from '../auth/authenticate.js';
import type { ApiKeyRecord } from '../auth/keys.js';
import type { ApiContext } from '../context.js';
import { ApiError, E } from '../errors.js';
import { Params } from '../params.js';

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

export function rawParts(request: FastifyRequest): { rawQuery: string; rawBody: string } {
  const url = request.raw.url ?? '';
  const q = url.indexOf('?');
  const rawQuery = q < 0 ? '' : url.slice(q + 1);
  const rawBody = typeof request.body === 'string' ? request.body : '';
  return { rawQuery, rawBody };
}

function sendError(reply: FastifyReply, error: ApiError): FastifyReply {
  return reply.code(error.status).type('application/json').send(JSON.stringify(error.toJSON()));
}

export function registerRoute(app: FastifyInstance, ctx: ApiContext, spec: RouteSpec): void {
  const handler = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    const nowMs = ctx.now();
    const ip = normalizeIp(request.ip);
    const headerKey = request.headers['x-mbx-apikey'];
    const apiKeyHeader = typeof headerKey === 'string' ? headerKey : undefined;
    try {
      const { rawQuery, rawBody } = rawParts(request);
      let params: Params | undefined;
      let weight = typeof spec.weight === 'number' ? spec.weight : 1;
      if (typeof spec.weight === 'function') {
        params = Params.fromRaw(rawQuery, rawBody);
        weight = spec.weight(params);
      }
      const knownKey = apiKeyHeader !== undefined && ctx.keys.get(apiKeyHeader) !== undefined ? apiKeyHeader : undefined;
      const usage = ctx.limiter.weigh(ip, knownKey, weight, nowMs);
      reply.header('X-MBX-USED-WEIGHT-1M', String(usage.used));
      if (usage.over) throw E.tooManyRequests(ctx.limiter.limits.weightPerMinute);
      params ??= Params.fromRaw(rawQuery, rawBody);
      let key: ApiKeyRecord | undefined;
      if (spec.security !== 'NONE') {
        key = authenticateKey(ctx, apiKeyHeader, ip);
        if (spec.security !== 'USER_STREAM') verifySigned(ctx, key, params, rawQuery, rawBody, nowMs);
        checkPermission(key, spec.security);
        const orders = spec.orders?.(params) ?? 0;
        if (orders > 0) {
          const count = ctx.limiter.countOrders(key.apiKey, orders, nowMs);
          reply.header('X-MBX-ORDER-COUNT-10S', String(count.orders10s));
          reply.header('X-MBX-ORDER-COUNT-1M', String(count.orders1m));
          if (count.exceeded === '10s') throw E.tooManyOrders(ctx.limiter.limits.ordersPer10s, '10 seconds');
          if (count.exceeded === '1m') throw E.tooManyOrders(ctx.limiter.limits.ordersPerMinute, '1 minute');
        }
      }
      const result = await spec.handler({ params, ip, nowMs, key, accountId: key?.accountId ?? 0 });
      return reply.code(200).type('application/json').send(JSON.stringify(result));
    } catch (error) {
      if (error instanceof ApiError) return sendError(reply, error);
      throw error;
    }
  };
  for (const path of spec.paths) app.route({ method: spec.method, url: path, handler });
}
