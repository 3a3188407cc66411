/**
 * @module journal/idempotency-window
 * The bounded dedupe window: idempotency key → (seq, atMs, body checksum) of the command that
 * first used it. Entries are kept in seq order and evicted from the oldest end when either bound
 * is exceeded: more than `maxKeys` keys, or older than `maxAgeMs` of command time (atMs, not wall
 * time) behind the newest sequenced command. Both bounds depend only on the journal and the
 * options, so the window rebuilt after a crash (snapshot section + journal tail) is exactly the
 * live one. Only the compact outcome is stored; events are re-derived by replay (durable-venue).
 *
 * Memory: about 100 bytes per key plus the key itself (1,000,000 keys of ~30 characters ≈ 150 MB).
 */
import { ByteReader, ByteWriter } from '../core/index.js';

export interface IdempotencyWindowOptions {
  /** Keys kept at most (default 1,000,000). */
  readonly maxKeys: number;
  /** Keys older than this much command time behind the newest command are forgotten (default 24 h). */
  readonly maxAgeMs: number;
}

export const DEFAULT_WINDOW_OPTIONS: IdempotencyWindowOptions = { maxKeys: 1_000_000, maxAgeMs: 24 * 60 * 60 * 1000 };

export interface WindowEntry {
  readonly seq: number;
  readonly atMs: number;
  readonly bodyCrc: number;
}

const WINDOW_FORMAT_VERSION = 1;
/** Compact the parallel arrays once this many evicted slots lead them. */
const COMPACT_AFTER = 4096;

export class IdempotencyWindow {
  /** key → absolute position (base + array index) of its entry. */
  private readonly positions = new Map<string, number>();
  private keys: string[] = [];
  private seqs: number[] = [];
  private times: number[] = [];
  private crcs: number[] = [];
  /** Array index of the oldest live entry. */
  private head = 0;
  /** Absolute position of array index 0. */
  private base = 0;

  constructor(readonly options: IdempotencyWindowOptions = DEFAULT_WINDOW_OPTIONS) {}

  get size(): number {
    return this.keys.length - this.head;
  }

  get(key: string): WindowEntry | undefined {
    const position = this.positions.get(key);
    if (position === undefined) return undefined;
    const index = position - this.base;
    return { seq: this.seqs[index]!, atMs: this.times[index]!, bodyCrc: this.crcs[index]! };
  }

  /** Records a newly sequenced keyed command; the caller checked that the key is not present. */
  add(key: string, seq: number, atMs: number, bodyCrc: number): void {
    this.positions.set(key, this.base + this.keys.length);
    this.keys.push(key);
    this.seqs.push(seq);
    this.times.push(atMs);
    this.crcs.push(bodyCrc);
    while (this.size > this.options.maxKeys) this.evictOldest();
  }

  /** Forgets keys that fell out of the time bound; called with every sequenced command's atMs. */
  advance(atMs: number): void {
    const horizon = atMs - this.options.maxAgeMs;
    while (this.size > 0 && this.times[this.head]! < horizon) this.evictOldest();
  }

  private evictOldest(): void {
    const key = this.keys[this.head]!;
    if (this.positions.get(key) === this.base + this.head) this.positions.delete(key);
    this.head++;
    if (this.head >= COMPACT_AFTER && this.head * 2 >= this.keys.length) {
      this.keys = this.keys.slice(this.head);
      this.seqs = this.seqs.slice(this.head);
      this.times = this.times.slice(this.head);
      this.crcs = this.crcs.slice(this.head);
      this.base += this.head;
      this.head = 0;
    }
  }

  /** Snapshot section: version, count, then (key, Δseq, ΔatMs, crc) oldest first. */
  serialize(): Uint8Array {
    const w = new ByteWriter(64 + this.size * 48);
    w.uint(WINDOW_FORMAT_VERSION);
    w.uint(this.size);
    let seq = 0;
    let atMs = 0;
    for (let i = this.head; i < this.keys.length; i++) {
      w.string(this.keys[i]!);
      w.uint(this.seqs[i]! - seq);
      w.uint(this.times[i]! - atMs);
      w.uint(this.crcs[i]!);
      seq = this.seqs[i]!;
      atMs = this.times[i]!;
    }
    return w.finish();
  }

  /** Rebuilds a window from serialize() bytes; bounds are the current options (re-applied on the next add). */
  static restore(bytes: Uint8Array, options: IdempotencyWindowOptions = DEFAULT_WINDOW_OPTIONS): IdempotencyWindow {
    const window = new IdempotencyWindow(options);
    const r = new ByteReader(bytes);
    const version = r.uint();
    if (version !== WINDOW_FORMAT_VERSION) throw new Error(`unsupported idempotency window version ${version}`);
    const count = r.uint();
    let seq = 0;
    let atMs = 0;
    for (let i = 0; i < count; i++) {
      const key = r.string();
      seq += r.uint();
      atMs += r.uint();
      const crc = r.uint();
      window.positions.set(key, window.keys.length);
      window.keys.push(key);
      window.seqs.push(seq);
      window.times.push(atMs);
      window.crcs.push(crc);
    }
    if (r.remaining !== 0) throw new Error('trailing bytes after the idempotency window');
    while (window.size > options.maxKeys) window.evictOldest();
    return window;
  }
}
