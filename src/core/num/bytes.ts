/**
 * @module num/bytes
 * A growable byte writer and a bounds-checked reader for canonical binary encodings (snapshots,
 * state hashes, journal records). Integers are LEB128 varints; signed values use zigzag; bigints
 * use the same scheme with no size limit. Strings are UTF-8 with a length prefix.
 */
import { AssertionFailure, assert } from '../assert.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export class ByteWriter {
  private buffer: Uint8Array;
  private length = 0;

  constructor(initialCapacity = 1024) {
    this.buffer = new Uint8Array(initialCapacity);
  }

  get size(): number {
    return this.length;
  }

  private ensure(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    let capacity = this.buffer.length * 2;
    while (capacity < this.length + extra) capacity *= 2;
    const next = new Uint8Array(capacity);
    next.set(this.buffer.subarray(0, this.length));
    this.buffer = next;
  }

  u8(value: number): void {
    this.ensure(1);
    this.buffer[this.length++] = value & 0xff;
  }

  /** Unsigned safe integer as LEB128. */
  uint(value: number): void {
    assert(Number.isSafeInteger(value) && value >= 0, 'uint is a non-negative safe integer');
    this.ensure(8);
    let rest = value;
    while (rest >= 0x80) {
      this.buffer[this.length++] = (rest % 0x80) | 0x80;
      rest = (rest - (rest % 0x80)) / 0x80;
    }
    this.buffer[this.length++] = rest;
  }

  /** Signed safe integer, zigzag + LEB128. */
  int(value: number): void {
    assert(Number.isSafeInteger(value), 'int is a safe integer');
    this.big(BigInt(value));
  }

  /** Any bigint, zigzag + LEB128 (the same bytes as `int` for values that fit a safe integer). */
  big(value: bigint): void {
    // Fast path: |value| < 2^52 zigzags into a safe integer, so number arithmetic is exact.
    if (value > -4_503_599_627_370_496n && value < 4_503_599_627_370_496n) {
      const small = Number(value);
      this.uint(small >= 0 ? small * 2 : -small * 2 - 1);
      return;
    }
    let rest = value < 0n ? -value * 2n - 1n : value * 2n;
    this.ensure(4);
    while (rest >= 0x80n) {
      this.u8(Number(rest & 0x7fn) | 0x80);
      rest >>= 7n;
    }
    this.u8(Number(rest));
  }

  bool(value: boolean): void {
    this.u8(value ? 1 : 0);
  }

  string(value: string): void {
    // Short ASCII (ids, symbols, keys): UTF-8 is the units themselves; skip the encoder's array.
    const length = value.length;
    if (length <= 64) {
      let ascii = true;
      for (let i = 0; i < length; i++) {
        if (value.charCodeAt(i) >= 0x80) {
          ascii = false;
          break;
        }
      }
      if (ascii) {
        this.uint(length);
        this.ascii(value);
        return;
      }
    }
    const bytes = encoder.encode(value);
    this.uint(bytes.length);
    this.bytes(bytes);
  }

  /** The UTF-16 units of a string known to be ASCII, one byte each (no length prefix). */
  ascii(value: string): void {
    const length = value.length;
    this.ensure(length);
    const buffer = this.buffer;
    let at = this.length;
    for (let i = 0; i < length; i++) buffer[at++] = value.charCodeAt(i);
    this.length = at;
  }

  /** Code units `units[start, end)` known to be ASCII, one byte each (no length prefix). */
  asciiUnits(units: Uint16Array, start: number, end: number): void {
    const length = end - start;
    this.ensure(length);
    const buffer = this.buffer;
    let at = this.length;
    for (let i = start; i < end; i++) buffer[at++] = units[i]!;
    this.length = at;
  }

  bytes(value: Uint8Array): void {
    this.ensure(value.length);
    this.buffer.set(value, this.length);
    this.length += value.length;
  }

  /** Empties the writer, keeping its buffer (for reuse on hot paths). */
  reset(): void {
    this.length = 0;
  }

  /** Copies the bytes written so far into `target` at `offset` (the caller sized it: `size`). */
  copyTo(target: Uint8Array, offset: number): void {
    target.set(this.buffer.subarray(0, this.length), offset);
  }

  finish(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }
}

export class ByteReader {
  private offset: number;
  private readonly end: number;

  /** Reads `buffer[start, end)` (default: all of it) without copying or viewing it. */
  constructor(private readonly buffer: Uint8Array, private readonly start = 0, end = buffer.length) {
    this.offset = start;
    this.end = end;
  }

  get remaining(): number {
    return this.end - this.offset;
  }

  /** Bytes read so far. */
  get position(): number {
    return this.offset - this.start;
  }

  /** The underlying buffer, for readers that decode a range in place (see skip). */
  get source(): Uint8Array {
    return this.buffer;
  }

  private fail(what: string): never {
    throw new AssertionFailure(`corrupt encoding: ${what} at byte ${this.offset - this.start}`);
  }

  u8(): number {
    if (this.offset >= this.end) this.fail('unexpected end');
    return this.buffer[this.offset++]!;
  }

  uint(): number {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 8; i++) {
      const byte = this.u8();
      value += (byte & 0x7f) * scale;
      if ((byte & 0x80) === 0) {
        if (!Number.isSafeInteger(value)) this.fail('uint overflow');
        return value;
      }
      scale *= 0x80;
    }
    return this.fail('uint too long');
  }

  int(): number {
    const value = this.big();
    const asNumber = Number(value);
    if (!Number.isSafeInteger(asNumber)) this.fail('int overflow');
    return asNumber;
  }

  big(): bigint {
    // Fast path: up to 7 bytes (49 bits) decode exactly in number arithmetic.
    const start = this.offset;
    let small = 0;
    let scale = 1;
    for (let i = 0; i < 7 && this.offset < this.end; i++) {
      const byte = this.buffer[this.offset++]!;
      small += (byte & 0x7f) * scale;
      if ((byte & 0x80) === 0) {
        const half = (small - (small % 2)) / 2;
        return BigInt(small % 2 === 1 ? -half - 1 : half);
      }
      scale *= 0x80;
    }
    this.offset = start;
    let value = 0n;
    let shift = 0n;
    for (let i = 0; i < 64; i++) {
      const byte = this.u8();
      value |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return (value & 1n) === 1n ? -((value + 1n) >> 1n) : value >> 1n;
      shift += 7n;
    }
    return this.fail('bigint too long');
  }

  bool(): boolean {
    const value = this.u8();
    if (value > 1) this.fail('bool');
    return value === 1;
  }

  string(): string {
    const bytes = this.bytes(this.uint());
    try {
      return decoder.decode(bytes);
    } catch {
      return this.fail('utf-8');
    }
  }

  bytes(length: number): Uint8Array {
    const at = this.skip(length);
    return this.buffer.subarray(at, at + length);
  }

  /** Steps over `length` bytes and returns where they start in `source` (no view allocated). */
  skip(length: number): number {
    if (length > this.remaining) this.fail('bytes beyond end');
    const at = this.offset;
    this.offset += length;
    return at;
  }
}
