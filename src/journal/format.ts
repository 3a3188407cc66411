/**
 * @module journal/format
 * On-disk layout of journal segments and records (all integers little-endian).
 *
 * Segment file `journal-<firstSeq, 16 digits>.seg`:
 *   header (32 bytes): magic "PERPXJNL" | u32 format version | u32 header size | u64 first seq |
 *                      u32 reserved (0) | u32 CRC-32C of the preceding 28 bytes
 *   records, back to back, with consecutive seqs starting at the header's first seq.
 *
 * Record: u32 payload length | u32 CRC-32C over (payload, then the 4 length bytes) | payload, where
 *   payload = varint seq | varint atMs | varint key length + 1 (0 = no key) | key UTF-8 |
 *             command body (journal/command-codec: version byte, tag, fields).
 * The checksum covers the length so a flipped length bit cannot frame a different, valid-looking
 * record. Lengths outside [MIN_PAYLOAD_BYTES, MAX_PAYLOAD_BYTES] are rejected before any CRC is
 * computed, which keeps the corruption scan (journal/segment-scan) linear.
 */
import { AssertionFailure, ByteReader, ByteWriter, type Command, type UnsequencedCommand } from '../core/index.js';
import { CodecError, decodeUtf8, isShortAscii, readCommandBody, readUtf8, writeCommandBody } from '../wire/index.js';
import { crc32c } from './crc32c.js';

export const SEGMENT_MAGIC = 'PERPXJNL';
export const SEGMENT_FORMAT_VERSION = 1;
export const SEGMENT_HEADER_BYTES = 32;
export const RECORD_FRAME_BYTES = 8;
/** seq, atMs, key length, codec version, tag: one byte each at least. */
export const MIN_PAYLOAD_BYTES = 5;
/** Far above any real command (the largest is a PlaceOrder with long strings, well under 1 KiB). */
export const MAX_PAYLOAD_BYTES = 64 * 1024;
/** Idempotency keys longer than this are refused at submit. */
export const MAX_KEY_BYTES = 512;

const encoder = new TextEncoder();

export function segmentFileName(firstSeq: number): string {
  return `journal-${String(firstSeq).padStart(16, '0')}.seg`;
}

/** First seq of a segment file name, or undefined for other files. */
export function parseSegmentFileName(name: string): number | undefined {
  const match = /^journal-(\d{16})\.seg$/.exec(name);
  return match === null ? undefined : Number(match[1]);
}

export function encodeSegmentHeader(firstSeq: number): Uint8Array {
  const bytes = new Uint8Array(SEGMENT_HEADER_BYTES);
  const view = new DataView(bytes.buffer);
  bytes.set(encoder.encode(SEGMENT_MAGIC), 0);
  view.setUint32(8, SEGMENT_FORMAT_VERSION, true);
  view.setUint32(12, SEGMENT_HEADER_BYTES, true);
  view.setUint32(16, firstSeq % 2 ** 32, true);
  view.setUint32(20, Math.floor(firstSeq / 2 ** 32), true);
  view.setUint32(24, 0, true);
  view.setUint32(28, crc32c(bytes, 0, 28), true);
  return bytes;
}

/** The header's first seq, or a reason the header is not valid. */
export function parseSegmentHeader(bytes: Uint8Array): { firstSeq: number } | { problem: string } {
  if (bytes.length < SEGMENT_HEADER_BYTES) return { problem: `segment header truncated (${bytes.length} bytes)` };
  const view = new DataView(bytes.buffer, bytes.byteOffset, SEGMENT_HEADER_BYTES);
  if (view.getUint32(28, true) !== crc32c(bytes, 0, 28)) return { problem: 'segment header checksum mismatch' };
  if (decodeUtf8(bytes.subarray(0, 8)) !== SEGMENT_MAGIC) return { problem: 'not a perpx journal segment' };
  const version = view.getUint32(8, true);
  if (version !== SEGMENT_FORMAT_VERSION) return { problem: `unsupported segment format version ${version}` };
  if (view.getUint32(12, true) !== SEGMENT_HEADER_BYTES) return { problem: 'unexpected segment header size' };
  const firstSeq = view.getUint32(16, true) + view.getUint32(20, true) * 2 ** 32;
  if (!Number.isSafeInteger(firstSeq) || firstSeq < 1) return { problem: `bad first seq ${firstSeq}` };
  return { firstSeq };
}

const recordWriter = new ByteWriter(1024);

/**
 * Encodes one framed record. Throws CodecError when the command or key cannot be journaled; the
 * caller has not sequenced anything yet at that point.
 */
export function encodeRecord(seq: number, atMs: number, idempotencyKey: string | undefined,
  command: UnsequencedCommand | Command): Uint8Array {
  // One writer reused for every record (encoding is synchronous); finish() copies the record out.
  const w = recordWriter;
  w.reset();
  for (let i = 0; i < RECORD_FRAME_BYTES; i++) w.u8(0);
  w.uint(seq);
  w.uint(atMs);
  if (idempotencyKey === undefined) {
    w.uint(0);
  } else if (typeof idempotencyKey === 'string' && idempotencyKey.length <= MAX_KEY_BYTES && isShortAscii(idempotencyKey)) {
    w.uint(idempotencyKey.length + 1);
    w.ascii(idempotencyKey);
  } else {
    const key = encodeKey(idempotencyKey);
    w.uint(key.length + 1);
    w.bytes(key);
  }
  writeCommandBody(w, command);
  // allocUnsafe takes small records from Node's shared pool: much cheaper than a fresh typed array.
  const record = Buffer.allocUnsafe(w.size);
  w.copyTo(record, 0);
  const payloadBytes = record.length - RECORD_FRAME_BYTES;
  if (payloadBytes > MAX_PAYLOAD_BYTES) throw new CodecError(`record payload of ${payloadBytes} bytes exceeds ${MAX_PAYLOAD_BYTES}`);
  const view = new DataView(record.buffer, record.byteOffset, RECORD_FRAME_BYTES);
  view.setUint32(0, payloadBytes, true);
  view.setUint32(4, crc32c(record, 0, 4, crc32c(record, RECORD_FRAME_BYTES, record.length)), true);
  return record;
}

/**
 * The record's CRC: CRC-32C over payload then length, i.e. crc32c(length, crc32c(payload)). The
 * order lets the encoder checksum the payload before the length is known; it is fixed by the format.
 */
export function recordChecksum(bytes: Uint8Array, offset: number, payloadBytes: number): number {
  const payloadCrc = crc32c(bytes, offset + RECORD_FRAME_BYTES, offset + RECORD_FRAME_BYTES + payloadBytes);
  return crc32c(bytes, offset, offset + 4, payloadCrc);
}

export function encodeKey(idempotencyKey: string): Uint8Array {
  if (typeof idempotencyKey !== 'string') throw new CodecError('idempotencyKey must be a string');
  if (!(idempotencyKey as unknown as { isWellFormed(): boolean }).isWellFormed()) {
    throw new CodecError('idempotencyKey must be well-formed UTF-16');
  }
  const bytes = encoder.encode(idempotencyKey);
  if (bytes.length > MAX_KEY_BYTES) throw new CodecError(`idempotencyKey longer than ${MAX_KEY_BYTES} bytes`);
  return bytes;
}

/** A decoded record. */
export interface JournalRecord {
  readonly seq: number;
  readonly atMs: number;
  readonly idempotencyKey: string | undefined;
  readonly command: Command;
  /** CRC-32C of the command body alone: identifies "the same command" for idempotency conflicts. */
  readonly bodyCrc: number;
}

/** bodyCrc is computed on first use: a replay without a dedupe window never needs it. */
class DecodedRecord implements JournalRecord {
  constructor(
    readonly seq: number,
    readonly atMs: number,
    readonly idempotencyKey: string | undefined,
    readonly command: Command,
    private readonly bytes: Uint8Array,
    private readonly bodyStart: number,
    private readonly bodyEnd: number,
  ) {}

  get bodyCrc(): number {
    return crc32c(this.bytes, this.bodyStart, this.bodyEnd);
  }
}

/**
 * Decodes the payload of a record whose checksum already matched. Throws CodecError when the bytes
 * are not a record this version wrote (a checksum-valid record that does not decode means a bug or
 * a format mismatch, never a torn write).
 */
export function decodePayload(bytes: Uint8Array, payloadStart: number, payloadEnd: number): JournalRecord {
  const r = new ByteReader(bytes, payloadStart, payloadEnd);
  try {
    const seq = r.uint();
    const atMs = r.uint();
    const keyLength = r.uint();
    const idempotencyKey = keyLength === 0 ? undefined : readUtf8(r, keyLength - 1);
    const bodyStart = payloadStart + r.position;
    const command = readCommandBody(r, seq, atMs);
    if (r.remaining !== 0) throw new CodecError(`${r.remaining} trailing bytes in record ${seq}`);
    return new DecodedRecord(seq, atMs, idempotencyKey, command, bytes, bodyStart, payloadEnd);
  } catch (error) {
    if (error instanceof CodecError) throw error;
    if (error instanceof AssertionFailure || error instanceof TypeError) throw new CodecError(error.message);
    throw error;
  }
}
