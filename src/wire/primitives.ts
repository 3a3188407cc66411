/**
 * @module wire/primitives
 * Field encodings shared by the command codec (journal records, gateways) and the event-batch
 * codec (committed batches for other processes), faithful rather than just compact: replay feeds a
 * decoded command to the engine, which must reach the same state as the live apply, so every value
 * the engine can observe round-trips, including invalid ones it would reject:
 * - numbers: non-negative and negative integers as a tagged LEB128 varint (|v| < 2^50, the common
 *   case, 1–8 bytes); anything else (fractions, NaN, ±Infinity, -0, huge values) as an escape plus
 *   the IEEE-754 double, so a fractional quantity is rejected identically on replay;
 * - choices (enums): their index in the declared table, or an escape byte plus the raw string;
 * - flags: a run of consecutive booleans in one byte, the first at bit 0;
 * - bigints: zigzag LEB128 of any size; strings: UTF-8 with a length.
 * What it refuses (CodecError, before anything is sequenced): a field of the wrong JS type and
 * strings that are not well-formed UTF-16 (a lone surrogate cannot survive UTF-8).
 */
import type { ByteReader, ByteWriter } from '../core/index.js';

/** A value that cannot be encoded faithfully; nothing was sequenced or applied. */
export class CodecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CodecError';
  }
}

const ENUM_ESCAPE = 0xff;
/** Varint tag 1 (odd) announces a raw float64; even tags carry an integer (see writeNumber). */
const NUMBER_ESCAPE = 1;
const SMALL_INT_LIMIT = 2 ** 50;

const scratch = new DataView(new ArrayBuffer(8));
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * UTF-8 → string. Journal strings are short and almost always ASCII (symbols, client order ids,
 * keys); building those from char codes is several times faster than TextDecoder, which matters
 * when recovery decodes tens of millions of records.
 */
export function decodeUtf8(bytes: Uint8Array): string {
  return decodeUtf8At(bytes, 0, bytes.length);
}

/** Char codes of the string being built (reused: no array per string). */
const asciiCodes: number[] = [];

/** decodeUtf8 of `bytes[start, end)`, read in place (no view allocated for the common short ASCII case). */
export function decodeUtf8At(bytes: Uint8Array, start: number, end: number): string {
  const length = end - start;
  if (length <= 64 && isAsciiRange(bytes, start, end)) {
    asciiCodes.length = length;
    for (let i = 0; i < length; i++) asciiCodes[i] = bytes[start + i]!;
    return String.fromCharCode.apply(null, asciiCodes);
  }
  try {
    return utf8.decode(bytes.subarray(start, end));
  } catch {
    throw new CodecError('invalid UTF-8 in a string');
  }
}

/** The next `length` bytes of `r` as UTF-8, decoded in place. */
export function readUtf8(r: ByteReader, length: number): string {
  const at = r.skip(length);
  return decodeUtf8At(r.source, at, at + length);
}

/** A length-prefixed UTF-8 string. */
export function readText(r: ByteReader): string {
  return readUtf8(r, r.uint());
}

function isAsciiRange(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (bytes[i]! >= 0x80) return false;
  return true;
}

/** Symbols seen so far: a journal names a handful, so each record reuses one instead of building it. */
const knownSymbols: string[] = [];
const MAX_KNOWN_SYMBOLS = 64;

/** readText for symbols: the same string, taken from a small cache when its bytes match one. */
export function readSymbol(r: ByteReader): string {
  const length = r.uint();
  const at = r.skip(length);
  const bytes = r.source;
  for (const symbol of knownSymbols) {
    if (symbol.length !== length) continue;
    let same = true;
    for (let i = 0; i < length; i++) {
      if (symbol.charCodeAt(i) !== bytes[at + i]) {
        same = false;
        break;
      }
    }
    if (same) return symbol;
  }
  const symbol = decodeUtf8At(bytes, at, at + length);
  // Only pure-ASCII symbols are cached (their bytes are their char codes, which the match relies on).
  if (knownSymbols.length < MAX_KNOWN_SYMBOLS && isAsciiRange(bytes, at, at + length)) knownSymbols.push(symbol);
  return symbol;
}

function fieldError(type: string, field: string, expected: string, value: unknown): CodecError {
  const shown = typeof value === 'bigint' ? `${value}n` : typeof value === 'string' ? JSON.stringify(value) : String(value);
  return new CodecError(`${type}.${field} must be ${expected}, got ${typeof value} ${shown.slice(0, 80)}`);
}

/** Integers v with |v| < 2^50 as varint 4v (v ≥ 0) or −4v − 2 (v < 0); else tag 1 + float64. */
export function writeNumber(w: ByteWriter, type: string, field: string, value: unknown): void {
  if (typeof value !== 'number') throw fieldError(type, field, 'a number', value);
  if (Number.isInteger(value) && value < SMALL_INT_LIMIT && value > -SMALL_INT_LIMIT && !Object.is(value, -0)) {
    w.uint(value >= 0 ? value * 4 : -value * 4 - 2);
    return;
  }
  w.uint(NUMBER_ESCAPE);
  scratch.setFloat64(0, value, true);
  for (let i = 0; i < 8; i++) w.u8(scratch.getUint8(i));
}

export function readNumber(r: ByteReader): number {
  const tagged = r.uint();
  if (tagged === NUMBER_ESCAPE) {
    for (let i = 0; i < 8; i++) scratch.setUint8(i, r.u8());
    return scratch.getFloat64(0, true);
  }
  if (tagged % 2 === 1) throw new CodecError(`corrupt number tag ${tagged} at byte ${r.position}`);
  return tagged % 4 === 0 ? tagged / 4 : -(tagged + 2) / 4;
}

export function writeText(w: ByteWriter, type: string, field: string, value: unknown): void {
  if (typeof value !== 'string') throw fieldError(type, field, 'a string', value);
  if (!isWellFormed(value)) throw fieldError(type, field, 'well-formed UTF-16 (no lone surrogates)', value);
  writeUtf8(w, value);
}

const utf8Encoder = new TextEncoder();
/** 3 bytes per UTF-16 unit at most, so any string of ≤ 1,024 units fits. */
const textScratch = new Uint8Array(3 * 1024);

/**
 * Same bytes as ByteWriter.string (length, then UTF-8), without allocating an array per string:
 * encodeInto a scratch buffer, then copy. The submit path encodes three strings per order.
 */
export function writeUtf8(w: ByteWriter, value: string): void {
  // Symbols and client ids are short ASCII: their UTF-8 is their units, written without a
  // call into the encoder (which dominated the record encoding).
  if (isShortAscii(value)) {
    w.uint(value.length);
    w.ascii(value);
    return;
  }
  if (value.length > 1024) {
    w.string(value);
    return;
  }
  const { written } = utf8Encoder.encodeInto(value, textScratch);
  w.uint(written);
  w.bytes(textScratch.subarray(0, written));
}

/** True for strings of at most 64 units, all below 0x80 (then UTF-16 units = UTF-8 bytes). */
export function isShortAscii(value: string): boolean {
  const length = value.length;
  if (length > 64) return false;
  for (let i = 0; i < length; i++) if (value.charCodeAt(i) >= 0x80) return false;
  return true;
}

/** String.prototype.isWellFormed (ES2024, in Node ≥ 20) without raising the project's lib target. */
function isWellFormed(value: string): boolean {
  return (value as unknown as { isWellFormed(): boolean }).isWellFormed();
}

export function writeMoney(w: ByteWriter, type: string, field: string, value: unknown): void {
  if (typeof value !== 'bigint') throw fieldError(type, field, 'a bigint', value);
  w.big(value);
}

export function flagValue(type: string, field: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw fieldError(type, field, 'a boolean', value);
  return value;
}

export function writeChoice(w: ByteWriter, type: string, field: string, values: readonly string[], value: unknown): void {
  if (typeof value !== 'string') throw fieldError(type, field, 'a string', value);
  const index = values.indexOf(value);
  if (index >= 0) {
    w.u8(index);
    return;
  }
  w.u8(ENUM_ESCAPE);
  writeText(w, type, field, value);
}

export function readChoice<T extends string>(r: ByteReader, values: readonly T[]): T {
  const index = r.u8();
  if (index === ENUM_ESCAPE) return readText(r) as T;
  const value = values[index];
  if (value === undefined) throw new CodecError(`corrupt enum index ${index} at byte ${r.position}`);
  return value;
}


/** A byte of `count` flags; bits above them mean the bytes are not a record an encoder wrote. */
export function readFlags(r: ByteReader, count: number): number {
  const at = r.position;
  const flags = r.u8();
  if (flags >= 1 << count) throw new CodecError(`corrupt flags ${flags} at byte ${at}`);
  return flags;
}

/** A list length (bounded by the bytes left, so a corrupt count cannot allocate without end). */
export function readCount(r: ByteReader): number {
  const count = r.uint();
  if (count > r.remaining) throw new CodecError(`list of ${count} items with ${r.remaining} bytes left`);
  return count;
}
