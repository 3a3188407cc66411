/**
 * @module api/web/sessions
 * Browser sessions: the web UI's alternative to HMAC signing. A login (account API key + secret, or
 * the operator's admin token) creates a revocable server-side session; the browser holds only an
 * opaque token in an HttpOnly, SameSite=Strict cookie and sends a per-session CSRF token in a header
 * on every request that changes state. An account session resolves to its API key on every request,
 * so it can do exactly what that key can (permissions, IP allow-list, rate limits) and dies with
 * the key. Sessions live in memory: a restart logs every browser out, as listenKeys expire.
 * Only SHA-256 digests of session tokens are kept, so a heap dump shows no usable cookie.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { ApiError } from '../errors.js';

export const SESSION_COOKIE = 'perpx_session';
export const CSRF_HEADER = 'x-csrf-token';
/** A session unused this long ends. */
export const SESSION_IDLE_MS = 8 * 3_600_000;
/** A session ends this long after login, used or not. */
export const SESSION_MAX_AGE_MS = 24 * 3_600_000;
/** Per account key or operator; the oldest session is ended when a login would pass it. */
export const MAX_SESSIONS_PER_PRINCIPAL = 16;
/** All sessions; logins beyond it are refused (after expired sessions are swept). */
export const MAX_SESSIONS = 10_000;
const TOKEN_BYTES = 32;
const TOKEN_RE = /^[A-Za-z0-9_-]{43}$/;
const MAX_COOKIE_HEADER = 8192;

export type Principal =
  | { readonly kind: 'account'; readonly accountId: number; readonly apiKey: string }
  | { readonly kind: 'operator' };

export interface Session {
  readonly digest: string;
  readonly principal: Principal;
  readonly csrfToken: string;
  readonly createdAtMs: number;
  lastSeenMs: number;
}

/** What a transport extracts from a request for session authentication (undefined fields: absent). */
export interface SessionCredentials {
  readonly cookie: string | undefined;
  readonly csrf: string | undefined;
  /** The Origin header, when the browser sent one; a cross-origin one never authenticates. */
  readonly origin: string | undefined;
  readonly host: string | undefined;
}

export const sessionErrors = {
  csrf: (): ApiError => new ApiError(-1002, `Missing or wrong CSRF token (send the ${CSRF_HEADER} header from GET /perpx/v1/session).`, 403),
  crossOrigin: (): ApiError => new ApiError(-1002, 'Cross-origin requests cannot use a session.', 403),
  noSession: (): ApiError => new ApiError(-1002, 'Not logged in (no valid session).', 401),
  full: (): ApiError => new ApiError(-1003, 'Too many sessions on this server; try again later.', 429),
};

function digestOf(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function principalKey(principal: Principal): string {
  return principal.kind === 'operator' ? 'operator' : `key:${principal.apiKey}`;
}

/** The value of one cookie in a Cookie header (bounded; undefined when absent or malformed). */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (header === undefined || header.length > MAX_COOKIE_HEADER) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** True when the request's Origin (if any) is this server itself. */
export function sameOrigin(credentials: SessionCredentials): boolean {
  if (credentials.origin === undefined) return true;
  if (credentials.host === undefined) return false;
  return credentials.origin === `http://${credentials.host}` || credentials.origin === `https://${credentials.host}`;
}

export function equalSecrets(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export class SessionStore {
  private readonly byDigest = new Map<string, Session>();
  /** principal key → digests in login order. */
  private readonly byPrincipal = new Map<string, string[]>();

  get size(): number {
    return this.byDigest.size;
  }

  /** A new session; returns the cookie token (shown once, never stored). */
  create(principal: Principal, nowMs: number): { token: string; session: Session } {
    if (this.byDigest.size >= MAX_SESSIONS) this.sweep(nowMs);
    if (this.byDigest.size >= MAX_SESSIONS) throw sessionErrors.full();
    const token = randomBytes(TOKEN_BYTES).toString('base64url');
    const session: Session = {
      digest: digestOf(token), principal, csrfToken: randomBytes(TOKEN_BYTES).toString('base64url'),
      createdAtMs: nowMs, lastSeenMs: nowMs,
    };
    const key = principalKey(principal);
    const list = this.byPrincipal.get(key) ?? [];
    while (list.length >= MAX_SESSIONS_PER_PRINCIPAL) this.byDigest.delete(list.shift()!);
    list.push(session.digest);
    this.byPrincipal.set(key, list);
    this.byDigest.set(session.digest, session);
    return { token, session };
  }

  /** The live session a Cookie header names (touching it), or undefined. */
  resolve(cookieHeader: string | undefined, nowMs: number): Session | undefined {
    const token = cookieValue(cookieHeader, SESSION_COOKIE);
    if (token === undefined || !TOKEN_RE.test(token)) return undefined;
    const session = this.byDigest.get(digestOf(token));
    if (session === undefined) return undefined;
    if (nowMs - session.lastSeenMs > SESSION_IDLE_MS || nowMs - session.createdAtMs > SESSION_MAX_AGE_MS) {
      this.revoke(session);
      return undefined;
    }
    session.lastSeenMs = nowMs;
    return session;
  }

  /**
   * The session of a request that needs authentication: same origin, and for anything but a read
   * the CSRF header must equal the session's token. Throws with a stable code otherwise.
   */
  authorize(credentials: SessionCredentials, method: string, nowMs: number): Session {
    const session = this.resolve(credentials.cookie, nowMs);
    if (session === undefined) throw sessionErrors.noSession();
    if (!sameOrigin(credentials)) throw sessionErrors.crossOrigin();
    if (method !== 'GET' && method !== 'HEAD' && !equalSecrets(credentials.csrf ?? '', session.csrfToken)) {
      throw sessionErrors.csrf();
    }
    return session;
  }

  revoke(session: Session): void {
    this.byDigest.delete(session.digest);
    const key = principalKey(session.principal);
    const list = this.byPrincipal.get(key);
    if (list === undefined) return;
    const remaining = list.filter((digest) => digest !== session.digest);
    if (remaining.length === 0) this.byPrincipal.delete(key);
    else this.byPrincipal.set(key, remaining);
  }

  /** Ends every session of an account (any of its keys); returns how many. */
  revokeAccount(accountId: number): number {
    const ended = [...this.byDigest.values()]
      .filter((session) => session.principal.kind === 'account' && session.principal.accountId === accountId);
    for (const session of ended) this.revoke(session);
    return ended.length;
  }

  private sweep(nowMs: number): void {
    for (const session of [...this.byDigest.values()]) {
      if (nowMs - session.lastSeenMs > SESSION_IDLE_MS || nowMs - session.createdAtMs > SESSION_MAX_AGE_MS) this.revoke(session);
    }
  }
}

/** Credentials from Node's header object (both transports use it). */
export function sessionCredentials(headers: Record<string, string | string[] | undefined>): SessionCredentials | undefined {
  const cookie = headers['cookie'];
  if (typeof cookie !== 'string') return undefined;
  const csrf = headers[CSRF_HEADER];
  const origin = headers['origin'];
  const host = headers['host'];
  return {
    cookie, csrf: typeof csrf === 'string' ? csrf : undefined,
    origin: typeof origin === 'string' ? origin : undefined, host: typeof host === 'string' ? host : undefined,
  };
}

/** The account API key a session stands for, when the request carries an account session. */
export function sessionApiKey(store: SessionStore, credentials: SessionCredentials | undefined, nowMs: number): string | undefined {
  if (credentials === undefined) return undefined;
  const session = store.resolve(credentials.cookie, nowMs);
  return session?.principal.kind === 'account' ? session.principal.apiKey : undefined;
}
