/**
 * @module api/web/operator-auth
 * Who may call operator routes (/admin/v1 and the operator parts of /perpx/v1): the admin token as
 * `Authorization: Bearer <token>` (CLI, scripts), or an operator browser session (the risk console),
 * which must be same-origin and carry its CSRF token on anything but a read.
 */
import type { FastifyRequest } from 'fastify';
import type { ApiContext } from '../context.js';
import { ApiError } from '../errors.js';
import { equalSecrets, sessionCredentials } from './sessions.js';

export const missingOperator = (): ApiError =>
  new ApiError(-1002, 'Missing or wrong admin token (Authorization: Bearer <token>) or operator session.', 401);

function bearerMatches(ctx: ApiContext, header: string | undefined): boolean {
  return header !== undefined && header.startsWith('Bearer ') && equalSecrets(header.slice(7), ctx.adminToken);
}

/** Throws unless the request is the operator's (token, or operator session with CSRF for writes). */
export function requireOperator(ctx: ApiContext, request: FastifyRequest): void {
  if (bearerMatches(ctx, request.headers.authorization)) return;
  const credentials = sessionCredentials(request.headers);
  if (credentials === undefined) throw missingOperator();
  const nowMs = ctx.now();
  const session = ctx.sessions.resolve(credentials.cookie, nowMs);
  if (session?.principal.kind !== 'operator') throw missingOperator();
  ctx.sessions.authorize(credentials, request.method, nowMs);
}
