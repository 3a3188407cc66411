/**
 * @module api/auth/replay
 * Rejects a signed request seen before. A request is valid only inside its recvWindow, so a
 * signature needs remembering only until its timestamp + recvWindow has passed; entries expire in
 * one-second buckets and the set is bounded (under pressure the entries closest to expiry go
 * first, which can only shorten how long a replay is caught, never reject a fresh request).
 *
 * A signature is remembered as its 32 bytes plus the route scope's number, in typed arrays: an
 * entry slab, an open-addressing table over it (linear probing, backward-shift deletion) and, per
 * expiry second, a list of entry numbers. At 20,000 orders/s the window holds over a million
 * signatures for up to 61 s; as strings in a Map they were the largest group of objects surviving
 * each young-generation collection of the API thread, and those collections set its tail latency.
 *
 * A scope's number is a hash of its text, the same in every process, so that entries restored from
 * the on-disk log (replay-log.ts, when the server has a data directory) keep their route.
 */

import { probeDeleteSlot, probeInsert, probeSlotOf } from '../../core/num/probe-table.js';
import { grownTo } from '../../core/num/typed-arrays.js';
import { ReplayLog } from './replay-log.js';

const BUCKET_MS = 1000;
const SIGNATURE_BYTES = 32;
const INITIAL_ENTRIES = 1024;

/** 32-bit FNV-1a of a scope's text (a few dozen route scopes: a clash is checked, not expected). Exported for tests. */
export function scopeHash(scope: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < scope.length; i++) h = Math.imul(h ^ scope.charCodeAt(i), 0x01000193);
  return h | 0;
}

function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  const lower = code | 0x20;
  if (lower >= 97 && lower <= 102) return lower - 87;
  return -1;
}

export class ReplayGuard {
  private signatures = new Uint8Array(INITIAL_ENTRIES * SIGNATURE_BYTES);
  private scopeOf = new Int32Array(INITIAL_ENTRIES);
  private hashOf = new Uint32Array(INITIAL_ENTRIES);
  /** Table slots hold entry + 1 (0: empty); at most half full. */
  private table = new Int32Array(INITIAL_ENTRIES * 2);
  private free: number[] = [];
  private used = 0;
  private count = 0;
  private readonly scopes = new Map<string, number>();
  /** Scope id → scope text (ids are hashes: two texts must not share one). */
  private readonly scopeTexts = new Map<number, string>();
  private log: ReplayLog | undefined;
  /** Expiry second → entries expiring then. */
  private readonly buckets = new Map<number, number[]>();
  /** Smallest bucket key present (Infinity when none): expiry walks the buckets only when one is due. */
  private oldestBucket = Infinity;
  private readonly scratch = new Uint8Array(SIGNATURE_BYTES);

  constructor(private readonly maxEntries = 2_000_000) {}

  get size(): number {
    return this.count;
  }

  /**
   * A guard whose memory survives restarts: restores the live entries of `dataDir`'s replay log and
   * appends every admitted signature to it.
   */
  static persistent(dataDir: string, now: () => number, onError: (error: Error) => void, maxEntries?: number): ReplayGuard {
    const guard = new ReplayGuard(maxEntries);
    const { log, live } = ReplayLog.open(dataDir, now, onError);
    for (const record of live) guard.insertIfAbsent(record.scopeId, record.signature, record.expiryBucket);
    guard.log = log;
    return guard;
  }

  /** Writes what is queued for the log and closes it (the in-memory guard keeps working). */
  close(): void {
    this.log?.close();
    this.log = undefined;
  }

  /**
   * Records `signatureHex` (64 hex digits, as verified) for the route `scope`; false if the pair was
   * already recorded and has not expired.
   */
  admit(scope: string, signatureHex: string, expiresAtMs: number, nowMs: number): boolean {
    this.expire(Math.floor(nowMs / BUCKET_MS));
    const sig = this.scratch;
    if (signatureHex.length !== SIGNATURE_BYTES * 2) throw new Error('replay guard: a signature is 64 hex digits');
    for (let i = 0; i < SIGNATURE_BYTES; i++) {
      const high = hexValue(signatureHex.charCodeAt(2 * i));
      const low = hexValue(signatureHex.charCodeAt(2 * i + 1));
      if (high < 0 || low < 0) throw new Error('replay guard: a signature is 64 hex digits');
      sig[i] = (high << 4) | low;
    }
    const scopeId = this.scopeIdOf(scope);
    const bucketKey = Math.ceil(expiresAtMs / BUCKET_MS);
    if (!this.insertIfAbsent(scopeId, sig, bucketKey)) return false;
    this.log?.append(bucketKey, scopeId, sig);
    return true;
  }

  private scopeIdOf(scope: string): number {
    let scopeId = this.scopes.get(scope);
    if (scopeId === undefined) {
      scopeId = scopeHash(scope);
      const other = this.scopeTexts.get(scopeId);
      if (other !== undefined && other !== scope) throw new Error(`replay guard: scopes ${other} and ${scope} hash alike`);
      this.scopes.set(scope, scopeId);
      this.scopeTexts.set(scopeId, scope);
    }
    return scopeId;
  }

  /** Records (scope, signature) until the end of second `bucketKey`; false if it is already recorded. */
  private insertIfAbsent(scopeId: number, sig: Uint8Array, bucketKey: number): boolean {
    // HMAC output is uniform: its first bytes are a hash already.
    const hash = ((sig[0]! | (sig[1]! << 8) | (sig[2]! << 16) | (sig[3]! << 24)) ^ Math.imul(scopeId, 0x9e3779b1)) >>> 0;
    if (this.find(hash, scopeId, sig) >= 0) return false;
    const entry = this.allocate();
    this.signatures.set(sig, entry * SIGNATURE_BYTES);
    this.scopeOf[entry] = scopeId;
    this.hashOf[entry] = hash;
    probeInsert(this.table, hash, entry);
    let bucket = this.buckets.get(bucketKey);
    if (bucket === undefined) {
      bucket = [];
      this.buckets.set(bucketKey, bucket);
      if (bucketKey < this.oldestBucket) this.oldestBucket = bucketKey;
    }
    bucket.push(entry);
    while (this.count > this.maxEntries) this.dropOldest();
    return true;
  }

  private find(hash: number, scopeId: number, sig: Uint8Array): number {
    const table = this.table;
    const mask = table.length - 1;
    const signatures = this.signatures;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const value = table[slot]!;
      if (value === 0) return -1;
      const entry = value - 1;
      if (this.hashOf[entry] !== hash || this.scopeOf[entry] !== scopeId) continue;
      const base = entry * SIGNATURE_BYTES;
      let same = true;
      for (let i = 0; i < SIGNATURE_BYTES; i++) {
        if (signatures[base + i] !== sig[i]) {
          same = false;
          break;
        }
      }
      if (same) return entry;
    }
  }

  private allocate(): number {
    this.count++;
    const reused = this.free.pop();
    if (reused !== undefined) return reused;
    if (this.used === this.scopeOf.length) this.grow();
    return this.used++;
  }

  private grow(): void {
    const capacity = this.scopeOf.length * 2;
    this.signatures = grownTo(this.signatures, capacity * SIGNATURE_BYTES);
    this.scopeOf = grownTo(this.scopeOf, capacity);
    this.hashOf = grownTo(this.hashOf, capacity);
    // Rebuild the table from the live entries (a freed entry is in no bucket and no slot).
    const old = this.table;
    this.table = new Int32Array(capacity * 2);
    for (let slot = 0; slot < old.length; slot++) {
      const value = old[slot]!;
      if (value !== 0) probeInsert(this.table, this.hashOf[value - 1]!, value - 1);
    }
  }

  private forget(entry: number): void {
    const slot = probeSlotOf(this.table, this.hashOf[entry]!, entry);
    if (slot < 0) throw new Error('replay guard: a live entry is missing from its table');
    probeDeleteSlot(this.table, slot, this.hashOf);
    this.free.push(entry);
    this.count--;
  }

  private expire(currentBucket: number): void {
    if (this.oldestBucket >= currentBucket) return;
    let oldest = Infinity;
    for (const [key, bucket] of this.buckets) {
      if (key >= currentBucket) {
        if (key < oldest) oldest = key;
        continue;
      }
      for (const entry of bucket) this.forget(entry);
      this.buckets.delete(key);
    }
    this.oldestBucket = oldest;
  }

  private dropOldest(): void {
    let oldest = Infinity;
    for (const key of this.buckets.keys()) if (key < oldest) oldest = key;
    const bucket = this.buckets.get(oldest);
    if (bucket === undefined) return;
    for (const entry of bucket) this.forget(entry);
    this.buckets.delete(oldest);
    let next = Infinity;
    for (const key of this.buckets.keys()) if (key < next) next = key;
    this.oldestBucket = next;
  }
}
