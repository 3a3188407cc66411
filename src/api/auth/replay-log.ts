/**
 * @module api/auth/replay-log
 * The replay guard's memory on disk, so that a signed request captured before a restart is still
 * refused after it while its recvWindow lasts. An append-only sidecar in the data directory
 * (`replay-guard-<ms>.log`): a 16-byte header, then one 40-byte record per admitted signature —
 * expiry second (u32), route scope id (i32), the signature's 32 bytes.
 *
 * Records are buffered and written with one write(2) per event-loop turn (a write per request cost
 * ~4.5 µs here, 5 % of an order's CPU), so a record reaches the page cache — where a killed process
 * cannot lose it — within the turn that admitted it; fdatasync runs in the background at most once
 * a second. What a crash can lose is stated in docs/api.md (Security). Entries live at most
 * MAX_ENTRY_LIFETIME_MS, so a file is rotated every ROTATE_AFTER_MS and deleted once everything in
 * it has expired; on open the live records of all files are copied into a fresh file (compaction)
 * and the old files removed. I/O failures never fail a request: the in-memory guard keeps working
 * and the failure is reported through `onError`.
 */
import {
  closeSync, fdatasync, fsyncSync, openSync, readdirSync, readFileSync, unlinkSync, writeSync,
} from 'node:fs';
import { join } from 'node:path';

const MAGIC = 'PXREPLAY';
const FORMAT_VERSION = 1;
const HEADER_BYTES = 16;
export const RECORD_BYTES = 40;
const SIGNATURE_OFFSET = 8;
const FILE_RE = /^replay-guard-(\d+)\.log$/;
/** recvWindow ≤ 60 s, plus the guard's 1 s of clock slack, plus its one-second expiry buckets. */
export const MAX_ENTRY_LIFETIME_MS = 63_000;
const ROTATE_AFTER_MS = 60_000;
const SYNC_EVERY_MS = 1_000;
const INITIAL_BUFFER_BYTES = 64 * 1024;

export interface ReplayRecord {
  readonly expiryBucket: number;
  readonly scopeId: number;
  readonly signature: Uint8Array;
}

function header(): Buffer {
  const bytes = Buffer.alloc(HEADER_BYTES);
  bytes.write(MAGIC, 0, 'latin1');
  bytes.writeUInt32LE(FORMAT_VERSION, 8);
  bytes.writeUInt32LE(RECORD_BYTES, 12);
  return bytes;
}

/** Live records of one file (a torn last record, a foreign file or a far-future expiry is skipped). */
function readRecords(path: string, nowMs: number, into: ReplayRecord[]): void {
  const bytes = readFileSync(path);
  if (bytes.length < HEADER_BYTES || bytes.toString('latin1', 0, 8) !== MAGIC || bytes.readUInt32LE(8) !== FORMAT_VERSION ||
    bytes.readUInt32LE(12) !== RECORD_BYTES) return;
  const nowBucket = Math.floor(nowMs / 1000);
  const latestBucket = Math.ceil((nowMs + MAX_ENTRY_LIFETIME_MS) / 1000);
  for (let at = HEADER_BYTES; at + RECORD_BYTES <= bytes.length; at += RECORD_BYTES) {
    const expiryBucket = bytes.readUInt32LE(at);
    if (expiryBucket < nowBucket || expiryBucket > latestBucket) continue;
    into.push({ expiryBucket, scopeId: bytes.readInt32LE(at + 4),
      signature: Uint8Array.prototype.slice.call(bytes, at + SIGNATURE_OFFSET, at + RECORD_BYTES) });
  }
}

interface OpenedFile {
  readonly fd: number;
  readonly atMs: number;
  readonly path: string;
}

export class ReplayLog {
  private fd: number;
  private openedAtMs: number;
  private path: string;
  /** Rotated files and when everything in them has expired. */
  private readonly retired: { path: string; deleteAtMs: number }[] = [];
  private buffer = Buffer.allocUnsafe(INITIAL_BUFFER_BYTES);
  private buffered = 0;
  private flushScheduled = false;
  private dirty = false;
  private syncing = false;
  private closed = false;
  private readonly syncTimer: NodeJS.Timeout;

  private constructor(private readonly dir: string, private readonly now: () => number,
    private readonly onError: (error: Error) => void, opened: OpenedFile) {
    this.fd = opened.fd;
    this.openedAtMs = opened.atMs;
    this.path = opened.path;
    this.syncTimer = setInterval(() => this.syncInBackground(), SYNC_EVERY_MS);
    this.syncTimer.unref();
  }

  /**
   * Opens the log in `dir`: returns the records still live at `now()` (for the guard to restore),
   * already rewritten into a fresh file, with the old files removed.
   */
  static open(dir: string, now: () => number, onError: (error: Error) => void): { log: ReplayLog; live: ReplayRecord[] } {
    const nowMs = now();
    const old = readdirSync(dir).filter((name) => FILE_RE.test(name));
    const live: ReplayRecord[] = [];
    for (const name of old) readRecords(join(dir, name), nowMs, live);
    const opened = ReplayLog.create(dir, nowMs);
    const bytes = Buffer.allocUnsafe(live.length * RECORD_BYTES);
    live.forEach((record, index) => ReplayLog.encode(bytes, index * RECORD_BYTES, record.expiryBucket, record.scopeId, record.signature));
    if (bytes.length > 0) writeSync(opened.fd, bytes);
    fsyncSync(opened.fd);
    for (const name of old) unlinkSync(join(dir, name));
    return { log: new ReplayLog(dir, now, onError, opened), live };
  }

  private static create(dir: string, atMs: number): OpenedFile {
    for (let stamp = atMs; ; stamp++) {
      const path = join(dir, `replay-guard-${stamp}.log`);
      try {
        const fd = openSync(path, 'wx', 0o600);
        writeSync(fd, header());
        return { fd, atMs, path };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
    }
  }

  private static encode(into: Buffer, at: number, expiryBucket: number, scopeId: number, signature: Uint8Array): void {
    into.writeUInt32LE(expiryBucket, at);
    into.writeInt32LE(scopeId, at + 4);
    into.set(signature, at + SIGNATURE_OFFSET);
  }

  /** Queues one record; it is written at the end of the current event-loop turn. */
  append(expiryBucket: number, scopeId: number, signature: Uint8Array): void {
    if (this.closed) return;
    if (this.buffered + RECORD_BYTES > this.buffer.length) {
      const grown = Buffer.allocUnsafe(this.buffer.length * 2);
      this.buffer.copy(grown, 0, 0, this.buffered);
      this.buffer = grown;
    }
    ReplayLog.encode(this.buffer, this.buffered, expiryBucket, scopeId, signature);
    this.buffered += RECORD_BYTES;
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Writes the queued records (and rotates or deletes files when due). */
  flush(): void {
    this.flushScheduled = false;
    if (this.closed) return;
    const nowMs = this.now();
    try {
      // A failed rotation (e.g. no descriptor left) is retried at the next flush; the records go
      // to the current file meanwhile.
      if (nowMs - this.openedAtMs >= ROTATE_AFTER_MS) this.rotate(nowMs);
      while (this.retired.length > 0 && this.retired[0]!.deleteAtMs <= nowMs) unlinkSync(this.retired.shift()!.path);
    } catch (error) {
      this.onError(error as Error);
    }
    try {
      let done = 0;
      while (done < this.buffered) done += writeSync(this.fd, this.buffer, done, this.buffered - done);
      this.dirty = this.dirty || done > 0;
    } catch (error) {
      this.onError(error as Error);
    } finally {
      this.buffered = 0;
    }
  }

  private rotate(nowMs: number): void {
    const next = ReplayLog.create(this.dir, nowMs);
    closeSync(this.fd);
    this.retired.push({ path: this.path, deleteAtMs: nowMs + MAX_ENTRY_LIFETIME_MS });
    this.fd = next.fd;
    this.openedAtMs = next.atMs;
    this.path = next.path;
  }

  private syncInBackground(): void {
    if (!this.dirty || this.syncing || this.closed) return;
    this.dirty = false;
    this.syncing = true;
    fdatasync(this.fd, (error) => {
      this.syncing = false;
      if (error !== null && !this.closed) this.onError(error);
    });
  }

  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    clearInterval(this.syncTimer);
    try {
      fsyncSync(this.fd);
      closeSync(this.fd);
    } catch (error) {
      this.onError(error as Error);
    }
  }
}
