/**
 * @module journal/command-codec
 * Binary encoding of a command's body (everything but seq and atMs, which the record carries).
 * Layout: [u8 codec version][u8 command tag][fields in declaration order]. Tags and enum indexes
 * are part of the on-disk format: never renumber them; add new variants with new tags and bump
 * COMMAND_CODEC_VERSION only when an existing layout changes (decoders keep reading old versions).
 *
 * The encoding must be faithful, not just compact: replay feeds the decoded command to the engine,
 * which must reach the same state and events as the live apply. So the codec round-trips every
 * value the engine can observe, including invalid ones the engine would reject:
 * - numbers: non-negative and negative integers as a tagged LEB128 varint (|v| < 2^50, the common
 *   case, 1–8 bytes); anything else (fractions, NaN, ±Infinity, -0, huge values) as an escape plus
 *   the IEEE-754 double, so a fractional quantity is rejected identically on replay;
 * - enums: their index in the known list, or an escape byte plus the raw string;
 * - bigints: zigzag LEB128 of any size; strings: UTF-8 with a length.
 * What it refuses (CodecError, before anything is sequenced): a field of the wrong JS type, an
 * unknown command type, and strings that are not well-formed UTF-16 (a lone surrogate cannot
 * survive UTF-8, so the replayed text would differ).
 */
import {
  AssertionFailure, ByteReader, ByteWriter, type Command, type CommandType, type MarginTypeName, type OrderSideName,
  type OrderTypeName, type StpModeName, type TimeInForceName, type UnsequencedCommand, type WorkingTypeName,
} from '../core/index.js';

/** Version byte written first in every encoded body. */
export const COMMAND_CODEC_VERSION = 1;

/** A command that cannot be journaled faithfully; nothing was sequenced or applied. */
export class CodecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CodecError';
  }
}

const TAGS: readonly CommandType[] = [
  'CreateAccount', 'Deposit', 'Withdraw', 'Transfer', 'FundInsurance', 'SetLeverage', 'SetMarginType',
  'AdjustIsolatedMargin', 'PlaceOrder', 'CancelOrder', 'CancelAllOrders', 'AmendOrder', 'SetIndexPrice', 'Tick',
];
const TAG_OF = new Map<string, number>(TAGS.map((type, index) => [type, index + 1]));

const SIDES: readonly OrderSideName[] = ['BUY', 'SELL'];
const ORDER_TYPES: readonly OrderTypeName[] = [
  'LIMIT', 'MARKET', 'STOP', 'STOP_MARKET', 'TAKE_PROFIT', 'TAKE_PROFIT_MARKET', 'TRAILING_STOP_MARKET',
];
const TIME_IN_FORCE: readonly TimeInForceName[] = ['GTC', 'IOC', 'FOK', 'GTX'];
const STP_MODES: readonly StpModeName[] = ['NONE', 'EXPIRE_TAKER', 'EXPIRE_MAKER', 'EXPIRE_BOTH'];
const WORKING_TYPES: readonly WorkingTypeName[] = ['MARK_PRICE', 'CONTRACT_PRICE'];
const MARGIN_TYPES: readonly MarginTypeName[] = ['ISOLATED', 'CROSSED'];
const SCOPES: readonly ('ALL' | 'REGULAR' | 'CONDITIONAL')[] = ['ALL', 'REGULAR', 'CONDITIONAL'];

const ENUM_ESCAPE = 0xff;
/** Varint tag 1 (odd) announces a raw float64; even tags carry an integer (see writeNumber). */
const NUMBER_ESCAPE = 1;
const SMALL_INT_LIMIT = 2 ** 50;

const FLAG_REDUCE_ONLY = 1;
const FLAG_CLOSE_POSITION = 2;
const FLAG_PRICE_PROTECT = 4;

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

function readString(r: ByteReader): string {
  return readUtf8(r, r.uint());
}

function isAsciiRange(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (bytes[i]! >= 0x80) return false;
  return true;
}

/** Symbols seen so far: a journal names a handful, so each record reuses one instead of building it. */
const knownSymbols: string[] = [];
const MAX_KNOWN_SYMBOLS = 64;

/** readString for symbols: the same string, taken from knownSymbols when its bytes match one. */
function readSymbol(r: ByteReader): string {
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

type Fields = Record<string, unknown>;

function fieldError(type: string, field: string, expected: string, value: unknown): CodecError {
  const shown = typeof value === 'bigint' ? `${value}n` : typeof value === 'string' ? JSON.stringify(value) : String(value);
  return new CodecError(`${type}.${field} must be ${expected}, got ${typeof value} ${shown.slice(0, 80)}`);
}

/** Integers v with |v| < 2^50 as varint 4v (v ≥ 0) or −4v − 2 (v < 0); else tag 1 + float64. */
function writeNumber(w: ByteWriter, type: string, field: string, value: unknown): void {
  if (typeof value !== 'number') throw fieldError(type, field, 'a number', value);
  if (Number.isInteger(value) && value < SMALL_INT_LIMIT && value > -SMALL_INT_LIMIT && !Object.is(value, -0)) {
    w.uint(value >= 0 ? value * 4 : -value * 4 - 2);
    return;
  }
  w.uint(NUMBER_ESCAPE);
  scratch.setFloat64(0, value, true);
  for (let i = 0; i < 8; i++) w.u8(scratch.getUint8(i));
}

function readNumber(r: ByteReader): number {
  const tagged = r.uint();
  if (tagged === NUMBER_ESCAPE) {
    for (let i = 0; i < 8; i++) scratch.setUint8(i, r.u8());
    return scratch.getFloat64(0, true);
  }
  if (tagged % 2 === 1) throw new CodecError(`corrupt number tag ${tagged} at byte ${r.position}`);
  return tagged % 4 === 0 ? tagged / 4 : -(tagged + 2) / 4;
}

function writeString(w: ByteWriter, type: string, field: string, value: unknown): void {
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

function writeBig(w: ByteWriter, type: string, field: string, value: unknown): void {
  if (typeof value !== 'bigint') throw fieldError(type, field, 'a bigint', value);
  w.big(value);
}

function writeBool(type: string, field: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw fieldError(type, field, 'a boolean', value);
  return value;
}

function writeEnum(w: ByteWriter, type: string, field: string, values: readonly string[], value: unknown): void {
  if (typeof value !== 'string') throw fieldError(type, field, 'a string', value);
  const index = values.indexOf(value);
  if (index >= 0) {
    w.u8(index);
    return;
  }
  w.u8(ENUM_ESCAPE);
  writeString(w, type, field, value);
}

function readEnum<T extends string>(r: ByteReader, values: readonly T[]): T {
  const index = r.u8();
  if (index === ENUM_ESCAPE) return readString(r) as T;
  const value = values[index];
  if (value === undefined) throw new CodecError(`corrupt enum index ${index} at byte ${r.position}`);
  return value;
}

/**
 * Encodes a command body into `w`. Throws CodecError (and leaves `w` partly written) when the
 * command cannot be journaled faithfully.
 */
export function writeCommandBody(w: ByteWriter, command: UnsequencedCommand | Command): void {
  const c = command as unknown as Fields;
  const type = c['type'];
  const tag = typeof type === 'string' ? TAG_OF.get(type) : undefined;
  if (tag === undefined) throw new CodecError(`unknown command type ${String(type)}`);
  const t = type as CommandType;
  w.u8(COMMAND_CODEC_VERSION);
  w.u8(tag);
  const num = (field: string): void => writeNumber(w, t, field, c[field]);
  const str = (field: string): void => writeString(w, t, field, c[field]);
  const big = (field: string): void => writeBig(w, t, field, c[field]);
  switch (t) {
    case 'CreateAccount': return num('parentAccountId');
    case 'Deposit': case 'Withdraw': num('accountId'); return big('amountE8');
    case 'Transfer': num('fromAccountId'); num('toAccountId'); return big('amountE8');
    case 'FundInsurance': return big('amountE8');
    case 'SetLeverage': num('accountId'); str('symbol'); return num('leverage');
    case 'SetMarginType': num('accountId'); str('symbol'); return writeEnum(w, t, 'marginType', MARGIN_TYPES, c['marginType']);
    case 'AdjustIsolatedMargin': num('accountId'); str('symbol'); return big('amountE8');
    case 'PlaceOrder': return writePlaceOrder(w, c, num, str);
    case 'CancelOrder': num('accountId'); str('symbol'); num('orderId'); return str('clientOrderId');
    case 'CancelAllOrders': num('accountId'); str('symbol'); return writeEnum(w, t, 'scope', SCOPES, c['scope']);
    case 'AmendOrder': num('accountId'); str('symbol'); num('orderId'); str('clientOrderId'); num('qtyLots'); return num('priceTicks');
    case 'SetIndexPrice': str('symbol'); return num('priceTicks');
    case 'Tick': return;
  }
}

function writePlaceOrder(w: ByteWriter, c: Fields, num: (field: string) => void, str: (field: string) => void): void {
  const t = 'PlaceOrder';
  num('accountId');
  str('symbol');
  writeEnum(w, t, 'side', SIDES, c['side']);
  writeEnum(w, t, 'orderType', ORDER_TYPES, c['orderType']);
  writeEnum(w, t, 'timeInForce', TIME_IN_FORCE, c['timeInForce']);
  num('qtyLots');
  num('priceTicks');
  num('stopPriceTicks');
  num('activationPriceTicks');
  num('callbackRateBps');
  const flags = (writeBool(t, 'reduceOnly', c['reduceOnly']) ? FLAG_REDUCE_ONLY : 0) |
    (writeBool(t, 'closePosition', c['closePosition']) ? FLAG_CLOSE_POSITION : 0) |
    (writeBool(t, 'priceProtect', c['priceProtect']) ? FLAG_PRICE_PROTECT : 0);
  w.u8(flags);
  writeEnum(w, t, 'workingType', WORKING_TYPES, c['workingType']);
  writeEnum(w, t, 'stpMode', STP_MODES, c['stpMode']);
  str('clientOrderId');
}

/** Encodes a command body on its own (tests, tools). */
export function encodeCommandBody(command: UnsequencedCommand | Command): Uint8Array {
  const w = new ByteWriter(64);
  writeCommandBody(w, command);
  return w.finish();
}

/**
 * Decodes a body written by writeCommandBody and stamps it with `seq` and `atMs`. Reads exactly
 * one body from `r`; the caller checks that nothing follows. Throws CodecError (or the reader's
 * AssertionFailure) on bytes no encoder produced.
 */
export function readCommandBody(r: ByteReader, seq: number, atMs: number): Command {
  const version = r.u8();
  if (version !== COMMAND_CODEC_VERSION) throw new CodecError(`unsupported command codec version ${version}`);
  const tag = r.u8();
  const type = TAGS[tag - 1];
  if (type === undefined) throw new CodecError(`unknown command tag ${tag}`);
  switch (type) {
    case 'CreateAccount': return { type, seq, atMs, parentAccountId: readNumber(r) };
    case 'Deposit': case 'Withdraw': return { type, seq, atMs, accountId: readNumber(r), amountE8: r.big() };
    case 'Transfer':
      return { type, seq, atMs, fromAccountId: readNumber(r), toAccountId: readNumber(r), amountE8: r.big() };
    case 'FundInsurance': return { type, seq, atMs, amountE8: r.big() };
    case 'SetLeverage': return { type, seq, atMs, accountId: readNumber(r), symbol: readSymbol(r), leverage: readNumber(r) };
    case 'SetMarginType':
      return { type, seq, atMs, accountId: readNumber(r), symbol: readSymbol(r), marginType: readEnum(r, MARGIN_TYPES) };
    case 'AdjustIsolatedMargin':
      return { type, seq, atMs, accountId: readNumber(r), symbol: readSymbol(r), amountE8: r.big() };
    case 'PlaceOrder': return readPlaceOrder(r, seq, atMs);
    case 'CancelOrder':
      return { type, seq, atMs, accountId: readNumber(r), symbol: readSymbol(r), orderId: readNumber(r), clientOrderId: readString(r) };
    case 'CancelAllOrders':
      return { type, seq, atMs, accountId: readNumber(r), symbol: readSymbol(r), scope: readEnum(r, SCOPES) };
    case 'AmendOrder':
      return {
        type, seq, atMs, accountId: readNumber(r), symbol: readSymbol(r), orderId: readNumber(r), clientOrderId: readString(r),
        qtyLots: readNumber(r), priceTicks: readNumber(r),
      };
    case 'SetIndexPrice': return { type, seq, atMs, symbol: readSymbol(r), priceTicks: readNumber(r) };
    case 'Tick': return { type, seq, atMs };
  }
}

function readPlaceOrder(r: ByteReader, seq: number, atMs: number): Command {
  const accountId = readNumber(r);
  const symbol = readSymbol(r);
  const side = readEnum(r, SIDES);
  const orderType = readEnum(r, ORDER_TYPES);
  const timeInForce = readEnum(r, TIME_IN_FORCE);
  const qtyLots = readNumber(r);
  const priceTicks = readNumber(r);
  const stopPriceTicks = readNumber(r);
  const activationPriceTicks = readNumber(r);
  const callbackRateBps = readNumber(r);
  const flags = r.u8();
  if (flags > 7) throw new CodecError(`corrupt PlaceOrder flags ${flags}`);
  const workingType = readEnum(r, WORKING_TYPES);
  const stpMode = readEnum(r, STP_MODES);
  const clientOrderId = readString(r);
  return {
    type: 'PlaceOrder', seq, atMs, accountId, symbol, side, orderType, timeInForce, qtyLots, priceTicks, stopPriceTicks,
    activationPriceTicks, callbackRateBps, reduceOnly: (flags & FLAG_REDUCE_ONLY) !== 0,
    closePosition: (flags & FLAG_CLOSE_POSITION) !== 0, workingType, priceProtect: (flags & FLAG_PRICE_PROTECT) !== 0,
    stpMode, clientOrderId,
  };
}

/** Decodes a standalone body produced by encodeCommandBody; any malformation is a CodecError. */
export function decodeCommandBody(bytes: Uint8Array, seq: number, atMs: number): Command {
  const r = new ByteReader(bytes);
  try {
    const command = readCommandBody(r, seq, atMs);
    if (r.remaining !== 0) throw new CodecError(`${r.remaining} trailing bytes after a ${command.type} body`);
    return command;
  } catch (error) {
    if (error instanceof AssertionFailure) throw new CodecError(error.message);
    throw error;
  }
}
