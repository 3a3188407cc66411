/**
 * @module api/auth/replay
 * Rejects a signed request seen before. A request is valid only inside its recvWindow, so a
 * signature needs remembering only until its timestamp + recvWindow has passed; entries expire in
 * one-second buckets and the set is bounded (under pressure the entries closest to expiry go
 * first, which can only shorten how long a replay is caught, never reject a fresh request).
 */

const BUCKET_MS = 1000;

export class ReplayGuard {
  private readonly seen = new Map<string, number>();
  private readonly buckets = new Map<number, string[]>();
  /** Smallest bucket key present (Infinity when none): expiry walks the buckets only when one is due. */
  private oldestBucket = Infinity;

  constructor(private readonly maxEntries = 2_000_000) {}

  /** Records the signature; false if it was already recorded and has not expired. */
  admit(signature: string, expiresAtMs: number, nowMs: number): boolean {
    this.expire(Math.floor(nowMs / BUCKET_MS));
    if (this.seen.has(signature)) return false;
    const bucketKey = Math.ceil(expiresAtMs / BUCKET_MS);
    let bucket = this.buckets.get(bucketKey);
    if (bucket === undefined) {
      bucket = [];
      this.buckets.set(bucketKey, bucket);
      if (bucketKey < this.oldestBucket) this.oldestBucket = bucketKey;
    }
    bucket.push(signature);
    this.seen.set(signature, bucketKey);
    while (this.seen.size > this.maxEntries) this.dropOldest();
    return true;
  }

  private expire(currentBucket: number): void {
    if (this.oldestBucket >= currentBucket) return;
    let oldest = Infinity;
    for (const [key, bucket] of this.buckets) {
      if (key >= currentBucket) {
        if (key < oldest) oldest = key;
        continue;
      }
      for (const signature of bucket) this.seen.delete(signature);
      this.buckets.delete(key);
    }
    this.oldestBucket = oldest;
  }

  private dropOldest(): void {
    let oldest = Infinity;
    for (const key of this.buckets.keys()) if (key < oldest) oldest = key;
    const bucket = this.buckets.get(oldest);
    if (bucket === undefined) return;
    for (const signature of bucket) this.seen.delete(signature);
    this.buckets.delete(oldest);
    let next = Infinity;
    for (const key of this.buckets.keys()) if (key < next) next = key;
    this.oldestBucket = next;
  }
}
