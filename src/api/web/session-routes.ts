/**
 * @module api/web/session-routes
 * Login and logout for browsers under /perpx/v1 (JSON):
 * - `POST /perpx/v1/session` `{"apiKey","apiSecret"}` (an account) or `{"adminToken"}` (the operator):
 *   sets the HttpOnly SameSite=Strict session cookie, answers the CSRF token;
 * - `GET /perpx/v1/session`: who the cookie is, with the CSRF token (the UI calls it on load);
 * - `DELETE /perpx/v1/session`: logout (CSRF required), clears the cookie;
 * - `POST /perpx/v1/sessions/revoke` `{"accountId"}` (operator): ends every session of an account.
 * Logins are weighed like requests (LOGIN_WEIGHT per attempt against the IP's weight per minute),
 * take only application/json (so a cross-site form cannot post one without a CORS preflight, which
 * this server never grants) and compare secrets in constant time.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { normalizeIp } from '../auth/authenticate.js';
import { API_KEY_RE } from '../auth/keys.js';
import type { ApiContext } from '../context.js';
import { ApiError, E } from '../errors.js';
import { clientKeyOf } from '../net/client-address.js';
import { requireOperator } from './operator-auth.js';
import {
  equalSecrets, sameOrigin, SESSION_COOKIE, SESSION_MAX_AGE_MS, sessionCredentials, sessionErrors, type Session,
} from './sessions.js';

/** Request weight of one login attempt (2400/min per IP by default: 120 attempts a minute). */
export const LOGIN_WEIGHT = 20;

const loginSchema = z.union([
  z.strictObject({ apiKey: z.string().regex(API_KEY_RE), apiSecret: z.string().min(1).max(256) }),
  z.strictObject({ adminToken: z.string().min(1).max(512) }),
]);
const revokeSchema = z.strictObject({ accountId: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER) });

const wrongLogin = (): ApiError => new ApiError(-2015, 'Wrong API key and secret, or wrong admin token.', 401);

function cookie(request: FastifyRequest, value: string, maxAgeS: number): string {
  const secure = request.protocol === 'https' ? '; Secure' : '';
  return `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeS}${secure}`;
}

export function sessionJson(session: Session, ctx: ApiContext): Record<string, unknown> {
  const principal = session.principal;
  const base = { csrfToken: session.csrfToken, expiresAtMs: session.createdAtMs + SESSION_MAX_AGE_MS };
  if (principal.kind === 'operator') return { kind: 'operator', priceSource: ctx.priceSource, ...base };
  const key = ctx.keys.get(principal.apiKey);
  return { kind: 'account', accountId: principal.accountId, permissions: key?.permissions ?? [], priceSource: ctx.priceSource, ...base };
}

/** The JSON body; only application/json is taken (a cross-site form cannot send it without a preflight). */
export function jsonBody(request: FastifyRequest): unknown {
  const type = request.headers['content-type'] ?? '';
  if (!type.startsWith('application/json')) throw new ApiError(-1130, 'Send the body as application/json.', 415);
  try {
    return JSON.parse(typeof request.body === 'string' ? request.body : '');
  } catch {
    throw new ApiError(-1130, 'Request body is not valid JSON.');
  }
}

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new ApiError(-1130, 'Invalid login body: send {"apiKey","apiSecret"} or {"adminToken"}.');
  return result.data;
}

async function answer(reply: FastifyReply, run: () => unknown): Promise<FastifyReply> {
  try {
    const result = await run();
    return reply.code(200).type('application/json').header('cache-control', 'no-store').send(JSON.stringify(result));
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    return reply.code(error.status).type('application/json').send(JSON.stringify(error.toJSON()));
  }
}

export function registerSessionRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.post('/perpx/v1/session', (request, reply) => answer(reply, () => {
    const nowMs = ctx.now();
    const client = clientKeyOf(normalizeIp(request.ip));
    const bannedUntil = ctx.bans.bannedUntil(client, nowMs);
    if (bannedUntil > 0) throw E.banned(bannedUntil, nowMs);
    const usage = ctx.limiter.weighClient(client, LOGIN_WEIGHT, nowMs);
    if (usage.over) {
      ctx.bans.noteRejection(client, nowMs);
      throw E.tooManyRequests(ctx.limiter.limits.weightPerMinute, usage.retryAfterS);
    }
    const credentials = sessionCredentials(request.headers);
    if (!sameOrigin(credentials ?? { cookie: undefined, csrf: undefined, origin: request.headers.origin, host: request.headers.host })) {
      throw sessionErrors.crossOrigin();
    }
    const body = parse(loginSchema, jsonBody(request));
    let created: { token: string; session: Session };
    if ('adminToken' in body) {
      if (!equalSecrets(body.adminToken, ctx.adminToken)) throw wrongLogin();
      created = ctx.sessions.create({ kind: 'operator' }, nowMs);
    } else {
      const key = ctx.keys.get(body.apiKey);
      // Compare even for an unknown key, so timing does not tell which keys exist.
      const matches = equalSecrets(body.apiSecret, key?.secret ?? body.apiSecret.replace(/./g, '\u0000'));
      if (key === undefined || !matches) throw wrongLogin();
      const ip = normalizeIp(request.ip);
      if (key.ipAllowList.length > 0 && !key.ipAllowList.includes(ip)) throw E.rejectedKey();
      created = ctx.sessions.create({ kind: 'account', accountId: key.accountId, apiKey: key.apiKey }, nowMs);
    }
    void reply.header('set-cookie', cookie(request, created.token, Math.floor(SESSION_MAX_AGE_MS / 1000)));
    return sessionJson(created.session, ctx);
  }));
  app.get('/perpx/v1/session', (request, reply) => answer(reply, () => {
    const session = ctx.sessions.resolve(request.headers.cookie, ctx.now());
    if (session === undefined) throw sessionErrors.noSession();
    return sessionJson(session, ctx);
  }));
  app.delete('/perpx/v1/session', (request, reply) => answer(reply, () => {
    const credentials = sessionCredentials(request.headers);
    if (credentials === undefined) throw sessionErrors.noSession();
    const session = ctx.sessions.authorize(credentials, 'DELETE', ctx.now());
    ctx.sessions.revoke(session);
    void reply.header('set-cookie', cookie(request, '', 0));
    return { ok: true };
  }));
  app.post('/perpx/v1/sessions/revoke', (request, reply) => answer(reply, () => {
    requireOperator(ctx, request);
    const body = parse(revokeSchema, jsonBody(request));
    return { accountId: body.accountId, revoked: ctx.sessions.revokeAccount(body.accountId) };
  }));
}
