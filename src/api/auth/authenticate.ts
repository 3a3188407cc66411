/**
 * @module api/auth/authenticate
 * The Binance security types in the order Binance checks them: API key (format -2014, unknown
 * -2015), IP allow-list (-2015), signature (-1102 missing, -1022 wrong), timestamp and recvWindow
 * (-1021), the key's permission for the endpoint (-2015), and replay (-1021: the same signature
 * twice inside its window). Nothing here has side effects beyond the replay set.
 */
import type { ApiContext } from '../context.js';
import { E } from '../errors.js';
import type { Params } from '../params.js';
import { extractSignature, verifySignature } from './hmac.js';
import { API_KEY_RE, type ApiKeyRecord, type Permission } from './keys.js';

export type Security = 'NONE' | 'USER_STREAM' | 'USER_DATA' | 'TRADE';

export const DEFAULT_RECV_WINDOW_MS = 5000;
export const MAX_RECV_WINDOW_MS = 60_000;

export function requiredPermission(security: Security): Permission | undefined {
  if (security === 'TRADE') return 'trade';
  if (security === 'USER_DATA' || security === 'USER_STREAM') return 'read';
  return undefined;
}

/** Resolves and checks the API key header (USER_STREAM and signed endpoints). */
export function authenticateKey(ctx: ApiContext, header: string | undefined, ip: string): ApiKeyRecord {
  if (header === undefined || header === '') throw E.mandatory('X-MBX-APIKEY');
  if (!API_KEY_RE.test(header)) throw E.badKeyFormat();
  const record = ctx.keys.get(header);
  if (record === undefined) throw E.rejectedKey();
  if (record.ipAllowList.length > 0 && !record.ipAllowList.includes(ip) && !record.ipAllowList.includes(normalizeIp(ip))) {
    throw E.rejectedKey();
  }
  return record;
}

/** ::ffff:127.0.0.1 (IPv4-mapped, how Node reports IPv4 on a dual-stack socket) → 127.0.0.1. */
export function normalizeIp(ip: string): string {
  return ip.startsWith('::ffff:') ? ip.slice(7) : ip;
}

/** A request whose signature and timestamp have been verified. */
export interface VerifiedRequest {
  /** The signature as sent (lower-cased hex). */
  readonly signature: string;
  readonly timestampMs: number;
  /** When a replay of it stops being acceptable anyway: timestamp + recvWindow (+ 1 s of clock slack). */
  readonly expiresAtMs: number;
}

/** Signature (-1102 missing, -1022 wrong), then timestamp and recvWindow (-1021). */
export function verifySigned(record: ApiKeyRecord, params: Params, rawQuery: string, rawBody: string, nowMs: number): VerifiedRequest {
  const signed = extractSignature(rawQuery, rawBody);
  if (signed === undefined) throw E.mandatory('signature');
  if (!verifySignature(record.secret, signed)) throw E.badSignature();
  const timestamp = params.uint('timestamp', { required: true });
  const recvWindow = params.uint('recvWindow', { min: 1, max: MAX_RECV_WINDOW_MS }) ?? DEFAULT_RECV_WINDOW_MS;
  if (timestamp >= nowMs + 1000) throw E.timestampAhead();
  if (nowMs - timestamp > recvWindow) throw E.timestampOutside();
  return { signature: signed.signature, timestampMs: timestamp, expiresAtMs: timestamp + recvWindow + 1000 };
}

/**
 * Replay (-1021): the same signature on the same route (`scope`: method and path) inside its
 * window. The signature covers only the parameters, so the same parameters sent to two endpoints in
 * one millisecond sign alike; the scope keeps those apart. Which requests are checked is the
 * route's decision (route.ts): reads are not, nor order placements without a client order id.
 */
export function admitReplay(ctx: ApiContext, scope: string, verified: VerifiedRequest, nowMs: number): void {
  if (!ctx.replay.admit(scope, verified.signature, verified.expiresAtMs, nowMs)) throw E.replayed();
}

export function checkPermission(record: ApiKeyRecord, security: Security): void {
  const needed = requiredPermission(security);
  if (needed !== undefined && !record.permissions.includes(needed)) throw E.rejectedKey();
}
