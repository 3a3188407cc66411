/**
 * @module api/extra/operator-route
 * A JSON route under /perpx/v1 for the operator (admin token or operator session) or for any
 * logged-in browser or the operator (`anyone`), with the API's `{code,msg}` error envelope.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ApiContext } from '../context.js';
import { ApiError } from '../errors.js';
import { missingOperator, requireOperator } from '../web/operator-auth.js';

export type Audience = 'operator' | 'anyone-logged-in';

export async function answerJson(reply: FastifyReply, run: () => unknown): Promise<FastifyReply> {
  try {
    const result = await run();
    return reply.code(200).type('application/json').header('cache-control', 'no-store').send(JSON.stringify(result));
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    return reply.code(error.status).type('application/json').send(JSON.stringify(error.toJSON()));
  }
}

/** Throws unless the request may see this audience's routes. */
export function requireAudience(ctx: ApiContext, request: FastifyRequest, audience: Audience): void {
  if (audience === 'operator') return requireOperator(ctx, request);
  if (ctx.sessions.resolve(request.headers.cookie, ctx.now()) !== undefined) return;
  try {
    requireOperator(ctx, request);
  } catch {
    throw missingOperator();
  }
}

export function operatorRoute(app: FastifyInstance, ctx: ApiContext, method: 'GET' | 'POST', url: string, audience: Audience,
  handler: (request: FastifyRequest) => unknown): void {
  app.route({
    method, url,
    handler: (request, reply) => answerJson(reply, () => {
      requireAudience(ctx, request, audience);
      return handler(request);
    }),
  });
}

/** A positive integer query parameter (undefined when absent; -1130 when malformed). */
export function queryInt(request: FastifyRequest, name: string, max = Number.MAX_SAFE_INTEGER): number | undefined {
  const value = (request.query as Record<string, unknown>)[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^\d{1,15}$/.test(value) || Number(value) < 1 || Number(value) > max) {
    throw new ApiError(-1130, `Data sent for parameter '${name}' is not valid.`);
  }
  return Number(value);
}
