/**
 * @module api/auth/hmac
 * Binance request signing: signature = hex(HMAC-SHA256(secret, totalParams)), where totalParams is
 * the raw query string concatenated with the raw body (no separator), exactly as received and
 * still URL-encoded, without the `signature` parameter, which must be the last parameter of the
 * string that carries it. Comparison is constant-time and case-insensitive.
 */
import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';

export interface SignedPayload {
  /** What the client signed. */
  readonly payload: string;
  /** The signature as sent (lower-cased). */
  readonly signature: string;
}

const SIGNATURE_RE = /^[0-9a-fA-F]{64}$/;

/** Removes a trailing `signature=…` from one raw string; undefined when it is not there. */
function stripTrailingSignature(raw: string): { rest: string; signature: string } | undefined {
  const at = raw.lastIndexOf('signature=');
  if (at < 0) return undefined;
  if (at !== 0 && raw[at - 1] !== '&') return undefined;
  const signature = raw.slice(at + 'signature='.length);
  if (signature.includes('&')) return undefined;
  return { rest: at === 0 ? '' : raw.slice(0, at - 1), signature };
}

/**
 * Splits the request into signed payload and signature. Returns undefined when no signature is
 * present or it is not the last parameter of the query or of the body.
 */
export function extractSignature(rawQuery: string, rawBody: string): SignedPayload | undefined {
  const inBody = stripTrailingSignature(rawBody);
  if (inBody !== undefined) return { payload: rawQuery + inBody.rest, signature: inBody.signature.toLowerCase() };
  const inQuery = stripTrailingSignature(rawQuery);
  if (inQuery !== undefined) return { payload: inQuery.rest + rawBody, signature: inQuery.signature.toLowerCase() };
  return undefined;
}

export function sign(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('hex');
}

/** Secrets as prepared key objects (every signed request needs one; preparing it each time is waste). */
const keyObjects = new Map<string, KeyObject>();
const MAX_CACHED_KEYS = 100_000;

function keyObject(secret: string): KeyObject {
  let key = keyObjects.get(secret);
  if (key === undefined) {
    if (keyObjects.size >= MAX_CACHED_KEYS) keyObjects.clear();
    key = createSecretKey(Buffer.from(secret, 'utf8'));
    keyObjects.set(secret, key);
  }
  return key;
}

export function verifySignature(secret: string, signed: SignedPayload): boolean {
  if (!SIGNATURE_RE.test(signed.signature)) return false;
  // Raw digest against the decoded hex (64 hex digits checked above, so 32 bytes; hex decoding
  // makes the comparison case-insensitive), in constant time.
  const expected = createHmac('sha256', keyObject(secret)).update(signed.payload).digest();
  const actual = Buffer.from(signed.signature, 'hex');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
