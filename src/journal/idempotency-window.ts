/**
 * @module journal/idempotency-window
 * The bounded dedupe window: idempotency key → (seq, atMs, body checksum) of the command that
 * first used it. Entries are kept in seq order and evicted from the oldest end when either bound
 * is exceeded: more than `maxKeys` keys, or older than `maxAgeMs` of command time (atMs, not wall
 * time) behind the newest sequenced command. Both bounds depend only on the journal and the
 * options, so the window rebuilt after a crash (snapshot section + journal tail) is exactly the
 * live one. Only the compact outcome is stored; events are re-derived by replay (durable-venue).
 *
 * Layout: nothing per key on the JS heap. Entries sit in a ring of typed arrays (oldest at the
 * head); key characters are copied as UTF-16 code units into a character ring in the same order;
 * an open-addressing table (linear probing, backward-shift deletion, so no tombstones) maps a
 * key's hash to its entry, and a lookup compares the characters themselves, so a hash collision
 * never confuses two keys. A million keys were ~150 MB of strings, Map entries and boxed arrays
 * the garbage collector had to walk on every major collection (and a replay added each one
 * through a Map: ~1.2 µs per keyed command); now they are ~30 bytes per key plus 2 per
 * character, in a few large buffers.
 */
import { ByteReader, ByteWriter } from '../core/index.js';
import { probeDeleteSlot, probeInsert, probeSlotOf } from '../core/num/probe-table.js';

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
const INITIAL_ENTRIES = 1024;
const INITIAL_CHARS = 16 * 1024;
/** Table slot value for "empty"; other values are entry ring positions + 1. */
const EMPTY = 0;

/** 32-bit FNV-1a over UTF-16 code units, then a final avalanche (keys share long prefixes). Exported for tests. */
export function windowKeyHash(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}

export class IdempotencyWindow {
  // ---- entry ring (capacity a power of two; `head` is the oldest, `count` live entries) ----
  private seqs = new Float64Array(INITIAL_ENTRIES);
  private times = new Float64Array(INITIAL_ENTRIES);
  private crcs = new Uint32Array(INITIAL_ENTRIES);
  private hashes = new Uint32Array(INITIAL_ENTRIES);
  /** Where each key's characters start in the character ring. */
  private keyStarts = new Uint32Array(INITIAL_ENTRIES);
  private keyLengths = new Uint32Array(INITIAL_ENTRIES);
  private head = 0;
  private count = 0;
  // ---- character ring (capacity a power of two): live keys, oldest first, from charHead on ----
  private chars = new Uint16Array(INITIAL_CHARS);
  private charHead = 0;
  private charsUsed = 0;
  // ---- hash table over entry positions (size a power of two, at most half full) ----
  private table = new Int32Array(INITIAL_ENTRIES * 2);

  constructor(readonly options: IdempotencyWindowOptions = DEFAULT_WINDOW_OPTIONS) {}

  get size(): number {
    return this.count;
  }

  get(key: string): WindowEntry | undefined {
    const position = this.find(key, windowKeyHash(key));
    if (position < 0) return undefined;
    return { seq: this.seqs[position]!, atMs: this.times[position]!, bodyCrc: this.crcs[position]! };
  }

  /**
   * Records a newly sequenced keyed command. The venue never adds a key that is present; should a
   * key come again anyway (a window restored with larger bounds than it was written with), the
   * newest entry answers for it and the older one leaves in its turn without disturbing it.
   */
  add(key: string, seq: number, atMs: number, bodyCrc: number): void {
    if (this.count === this.seqs.length) this.growEntries();
    this.reserveChars(key.length);
    const hash = windowKeyHash(key);
    const position = (this.head + this.count) & (this.seqs.length - 1);
    this.seqs[position] = seq;
    this.times[position] = atMs;
    this.crcs[position] = bodyCrc;
    this.hashes[position] = hash;
    const chars = this.chars;
    const mask = chars.length - 1;
    const start = (this.charHead + this.charsUsed) & mask;
    this.keyStarts[position] = start;
    this.keyLengths[position] = key.length;
    for (let i = 0; i < key.length; i++) chars[(start + i) & mask] = key.charCodeAt(i);
    this.charsUsed += key.length;
    // The new entry is not in the table yet, so find() sees only an older twin, if any.
    const twin = this.find(key, hash);
    if (twin >= 0) this.table[probeSlotOf(this.table, hash, twin)] = position + 1;
    else probeInsert(this.table, hash, position);
    this.count++;
    while (this.count > this.options.maxKeys) this.evictOldest();
  }

  /** Forgets keys that fell out of the time bound; called with every sequenced command's atMs. */
  advance(atMs: number): void {
    const horizon = atMs - this.options.maxAgeMs;
    while (this.count > 0 && this.times[this.head]! < horizon) this.evictOldest();
  }

  /** Snapshot section: version, count, then (key, Δseq, ΔatMs, crc) oldest first. */
  serialize(): Uint8Array {
    const w = new ByteWriter(64 + this.count * 48);
    w.uint(WINDOW_FORMAT_VERSION);
    w.uint(this.count);
    let seq = 0;
    let atMs = 0;
    const mask = this.seqs.length - 1;
    for (let n = 0; n < this.count; n++) {
      const position = (this.head + n) & mask;
      this.writeKey(w, position);
      w.uint(this.seqs[position]! - seq);
      w.uint(this.times[position]! - atMs);
      w.uint(this.crcs[position]!);
      seq = this.seqs[position]!;
      atMs = this.times[position]!;
    }
    return w.finish();
  }

  /** Rebuilds a window from serialize() bytes; bounds are the current options (re-applied on the next add). */
  static restore(bytes: Uint8Array, options: IdempotencyWindowOptions = DEFAULT_WINDOW_OPTIONS): IdempotencyWindow {
    // add() keeps the newest maxKeys as it goes, which is what trimming after the last one keeps.
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
      window.add(key, seq, atMs, r.uint());
    }
    if (r.remaining !== 0) throw new Error('trailing bytes after the idempotency window');
    return window;
  }

  // ---- internals --------------------------------------------------------------------------------

  /** The live entry position holding `key`, or -1. */
  private find(key: string, hash: number): number {
    const table = this.table;
    const mask = table.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const value = table[slot]!;
      if (value === EMPTY) return -1;
      const position = value - 1;
      if (this.hashes[position] === hash && this.keyEquals(position, key)) return position;
    }
  }

  /** Do the entries at positions a and b hold the same key? */
  private sameKey(a: number, b: number): boolean {
    const length = this.keyLengths[a]!;
    if (this.hashes[a] !== this.hashes[b] || this.keyLengths[b] !== length) return false;
    const chars = this.chars;
    const mask = chars.length - 1;
    const startA = this.keyStarts[a]!;
    const startB = this.keyStarts[b]!;
    for (let i = 0; i < length; i++) if (chars[(startA + i) & mask] !== chars[(startB + i) & mask]) return false;
    return true;
  }

  private keyEquals(position: number, key: string): boolean {
    if (this.keyLengths[position] !== key.length) return false;
    const chars = this.chars;
    const mask = chars.length - 1;
    const start = this.keyStarts[position]!;
    for (let i = 0; i < key.length; i++) if (chars[(start + i) & mask] !== key.charCodeAt(i)) return false;
    return true;
  }

  /** The key as ByteWriter.string writes it (UTF-8 with its length), from the ring without a string when ASCII. */
  private writeKey(w: ByteWriter, position: number): void {
    const chars = this.chars;
    const mask = chars.length - 1;
    const start = this.keyStarts[position]!;
    const length = this.keyLengths[position]!;
    let ascii = true;
    for (let i = 0; i < length; i++) {
      if (chars[(start + i) & mask]! >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (!ascii) {
      w.string(this.keyAt(position));
      return;
    }
    w.uint(length);
    const end = start + length;
    if (end <= chars.length) {
      w.asciiUnits(chars, start, end);
    } else {
      w.asciiUnits(chars, start, chars.length);
      w.asciiUnits(chars, 0, end - chars.length);
    }
  }

  private keyAt(position: number): string {
    const chars = this.chars;
    const mask = chars.length - 1;
    const start = this.keyStarts[position]!;
    const length = this.keyLengths[position]!;
    let key = '';
    for (let i = 0; i < length; i += 4096) {
      const codes: number[] = [];
      for (let j = i; j < length && j < i + 4096; j++) codes.push(chars[(start + j) & mask]!);
      key += String.fromCharCode(...codes);
    }
    return key;
  }

  private evictOldest(): void {
    const position = this.head;
    // An older twin of a re-added key is not in the table (the newer entry took its slot).
    const slot = probeSlotOf(this.table, this.hashes[position]!, position);
    if (slot >= 0) probeDeleteSlot(this.table, slot, this.hashes);
    const length = this.keyLengths[position]!;
    this.charHead = (this.charHead + length) & (this.chars.length - 1);
    this.charsUsed -= length;
    this.head = (this.head + 1) & (this.seqs.length - 1);
    this.count--;
  }

  private growEntries(): void {
    const oldLength = this.seqs.length;
    const length = oldLength * 2;
    const move = <T extends Float64Array<ArrayBuffer> | Uint32Array<ArrayBuffer>>(from: T, make: (n: number) => T): T => {
      const to = make(length);
      for (let n = 0; n < this.count; n++) to[n] = from[(this.head + n) & (oldLength - 1)]!;
      return to;
    };
    this.seqs = move(this.seqs, (n) => new Float64Array(n));
    this.times = move(this.times, (n) => new Float64Array(n));
    this.crcs = move(this.crcs, (n) => new Uint32Array(n));
    this.hashes = move(this.hashes, (n) => new Uint32Array(n));
    this.keyStarts = move(this.keyStarts, (n) => new Uint32Array(n));
    this.keyLengths = move(this.keyLengths, (n) => new Uint32Array(n));
    this.head = 0;
    // Rebuild the table at twice the entry capacity; a re-added key's older twin stays out of it.
    this.table = new Int32Array(length * 2);
    for (let n = this.count - 1; n >= 0; n--) if (!this.hasNewerTwin(n)) probeInsert(this.table, this.hashes[n]!, n);
  }

  /** While rebuilding the table newest first: is the key at `position` already in it (a newer twin)? */
  private hasNewerTwin(position: number): boolean {
    const table = this.table;
    const mask = table.length - 1;
    for (let slot = this.hashes[position]! & mask; table[slot] !== EMPTY; slot = (slot + 1) & mask) {
      if (this.sameKey(table[slot]! - 1, position)) return true;
    }
    return false;
  }

  /** Makes room for `length` more characters after the newest key. */
  private reserveChars(length: number): void {
    const used = this.charsUsed;
    if (used + length <= this.chars.length) return;
    let capacity = this.chars.length * 2;
    while (capacity < used + length) capacity *= 2;
    const chars = new Uint16Array(capacity);
    const oldMask = this.chars.length - 1;
    for (let i = 0; i < used; i++) chars[i] = this.chars[(this.charHead + i) & oldMask]!;
    // Live keys are contiguous, oldest first: they now start at 0, one after another.
    const mask = this.seqs.length - 1;
    let start = 0;
    for (let n = 0; n < this.count; n++) {
      const position = (this.head + n) & mask;
      this.keyStarts[position] = start;
      start += this.keyLengths[position]!;
    }
    this.chars = chars;
    this.charHead = 0;
  }
}
